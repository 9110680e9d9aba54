/**
 * The event catalogue lives in the wire contract (@storesync/contract): one map from type to
 * payload, shared by the publisher, the listeners, the Socket.IO gateway, the dashboard and the
 * clients. Re-exported here for the domain's own code.
 */
import type { BusEvent, SyncEventType } from '@storesync/contract';

export { SYNC_EVENT_TYPES, type SyncEventData, type SyncEventType } from '@storesync/contract';

/** An event on the in-process bus (published through `EventPublisher`, `seq` is stamped on the way to clients). */
export type SyncEvent<K extends SyncEventType = SyncEventType> = BusEvent<K>;
