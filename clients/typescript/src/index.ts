// @storesync/client: the TypeScript client of storesync (browser and Node). Wire types come from
// @storesync/contract and are re-exported, so a caller needs this one import.
export * from '@storesync/contract';
export { StoreSyncClient, type CallOptions, type StoreSyncClientOptions, type UploadInput } from './client';
export { StoreSyncError, StoreSyncTransportError } from './errors';
export { type TokenSource } from './http';
export { LiveSubscription, type LiveOptions, type LiveState, type LiveStatus, type LiveTarget } from './live';
export { collect, paginate } from './pagination';

import { StoreSyncClient, type StoreSyncClientOptions } from './client';

/** `createClient({ baseUrl, token })`. */
export function createClient(options: StoreSyncClientOptions): StoreSyncClient {
  return new StoreSyncClient(options);
}
