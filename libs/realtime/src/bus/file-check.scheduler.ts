import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { FileCheckService, FileNotKnownError } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';

/**
 * One single-file check per file, the grace window after the last event about it: a
 * burst of events (uploaded, embedding created…) gives one check, run once the
 * writes are expected to have landed.
 */
@Injectable()
export class FileCheckScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger(FileCheckScheduler.name);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly checks: FileCheckService,
    private readonly config: AppConfig,
  ) {}

  get pending(): number {
    return this.timers.size;
  }

  schedule(fileId: string): void {
    const existing = this.timers.get(fileId);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(fileId);
      const run = this.run(fileId).finally(() => this.running.delete(run));
      this.running.add(run);
    }, this.config.sync.graceSeconds * 1000);
    timer.unref();
    this.timers.set(fileId, timer);
  }

  /** Resolves when no check is due or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.running.size > 0) {
      await Promise.all(this.running);
      if (this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled(this.running);
  }

  private async run(fileId: string): Promise<void> {
    try {
      const { check, issues } = await this.checks.checkFile(fileId);
      this.logger.debug({ message: 'file checked after an event', fileId, status: check?.status, issues: issues.length });
    } catch (error) {
      if (error instanceof FileNotKnownError) {
        this.logger.debug({ message: 'file in no store, nothing to check', fileId });
        return;
      }
      this.logger.warn({ message: 'file check after an event failed', fileId, error: (error as Error).message });
    }
  }
}
