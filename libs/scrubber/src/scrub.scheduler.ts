import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { ScrubRunningError } from './scrub.errors';
import { ScrubberService } from './scrubber.service';

/** A thin timer: a scrubber run every SCRUB_INTERVAL_MINUTES (0: never), after bootstrap. */
@Injectable()
export class ScrubScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScrubScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly scrubber: ScrubberService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.scrub.intervalMinutes;
    if (minutes === 0) return;
    this.timer = setInterval(() => void this.tick(), minutes * 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    try {
      await (
        await this.scrubber.start('schedule')
      ).done;
    } catch (error) {
      if (error instanceof ScrubRunningError) return;
      this.logger.error({ message: 'scheduled scrubber run failed to start', error: (error as Error).message });
    }
  }
}
