export { ChangeFeedModule } from './change-feed.module';
export { FeedStatusService, type FeedStatus, type FeedName } from './feed-status.service';
export { S3ChangeFeed, type S3FeedOutcome } from './s3/s3-change-feed.service';
export { InvalidS3EventError, parseS3Events, type S3ObjectEvent } from './s3/s3-event.parser';
export { WindowPoller, type PollResult } from './metadata/window-poller';
export { SqsChangeFeed } from './s3/sqs-change-feed.service';
export { settleSqsMessage, unwrapSqsBody, type SqsMessageVerdict } from './s3/sqs-message';
