export type { FeedStatus } from '@storesync/contract';
