import { Module } from '@nestjs/common';
import { FeedStateRepository } from './feed-state.repository';
import { FeedStatusService } from './feed-status.service';
import { MetadataChangeFeed } from './metadata/metadata-change-feed.service';
import { S3ChangeFeed } from './s3/s3-change-feed.service';
import { SqsChangeFeed } from './s3/sqs-change-feed.service';

/**
 * Change-driven detection: the metadata change stream (or polling) and S3 event
 * notifications (webhook or an SQS queue), each change a coalesced single-file check (FileCheckScheduler, from the
 * global RealtimeModule). Stores come from the global StorageModule.
 */
@Module({
  providers: [FeedStateRepository, FeedStatusService, MetadataChangeFeed, S3ChangeFeed, SqsChangeFeed],
  exports: [FeedStatusService, S3ChangeFeed],
})
export class ChangeFeedModule {}
