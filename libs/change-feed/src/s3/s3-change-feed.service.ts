import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { FileCheckScheduler } from '@storesync/realtime';
import { MetadataStore } from '@storesync/storage';
import { FeedStatusService } from '../feed-status.service';
import { parseS3Events } from './s3-event.parser';

export interface S3FeedOutcome {
  received: number;
  scheduled: number;
  ignored: number;
}

/**
 * Object events pushed by the bucket (MinIO's webhook target at POST /api/feeds/s3): each
 * event on a file's object schedules a single-file check of that file after the grace window.
 * Events outside the bucket, under the quarantine prefix (storesync's own moves), or on keys
 * no metadata names (orphans: the full scan's) are counted and ignored.
 */
@Injectable()
export class S3ChangeFeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(S3ChangeFeed.name);

  constructor(
    private readonly metadata: MetadataStore,
    private readonly scheduler: FileCheckScheduler,
    private readonly status: FeedStatusService,
    private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return !!this.config.changeFeed.s3WebhookToken;
  }

  onApplicationBootstrap(): void {
    // Connected means: the endpoint takes events. Whether the bucket sends them is the bucket's configuration.
    // With an SQS queue configured, that consumer owns the status (connected once it reaches the queue).
    if (this.enabled && !this.config.changeFeed.sqs) this.status.setMode('s3', 'webhook', true);
  }

  /** Throws InvalidS3EventError (400) on a malformed body and StoreUnavailableError when the metadata is down (the sender retries). */
  async accept(body: unknown): Promise<S3FeedOutcome> {
    const events = parseS3Events(body);
    const outcome: S3FeedOutcome = { received: events.length, scheduled: 0, ignored: 0 };
    for (const event of events) {
      if (event.bucket !== this.config.s3Bucket || event.key.startsWith(this.config.sync.quarantinePrefix)) {
        outcome.ignored += 1;
        continue;
      }
      const record = await this.metadata.getByKey(event.key);
      if (record) {
        this.scheduler.schedule(record.fileId);
        outcome.scheduled += 1;
      } else {
        outcome.ignored += 1;
        this.logger.debug({ message: 'object event on a key no metadata names', key: event.key, event: event.eventName });
      }
      this.status.change('s3', event.eventTime, !!record);
    }
    return outcome;
  }
}
