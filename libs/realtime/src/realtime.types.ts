import type { SyncEvent, SyncEventType } from '@storesync/contract';

/** An event as clients see it (the contract's SyncEvent): the bus event stamped with its place in this instance's stream. */
export type PublishedEvent<K extends SyncEventType = SyncEventType> = SyncEvent<K>;

/** Runs for each published event of its type ('*': every type). May be async; its failure is logged only. */
export type SyncEventHandler = (event: PublishedEvent) => void | Promise<void>;

/** What the multi-agent backend reports it did to a file itself. */
export interface FileNotification {
  userId: string;
  fileId: string;
  fileKey?: string;
  fileName?: string;
}

export interface EmbeddingNotification {
  userId: string;
  fileId: string;
  chunks?: number;
  model?: string;
  points?: number;
}
