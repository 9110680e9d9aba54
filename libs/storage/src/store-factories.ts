import { AppConfig } from '@storesync/config';
import { DeadlineMetadataStore } from './deadline/deadline-metadata.store';
import { DeadlineObjectStore } from './deadline/deadline-object.store';
import { DeadlineVectorStore } from './deadline/deadline-vector.store';
import { ResilientStateStore } from './deadline/resilient-state.store';
import { StoreLatch } from './deadline/store-latch';
import { LocalMetadataStore } from './local/local-metadata.store';
import { LocalObjectStore } from './local/local-object.store';
import { LocalVectorStore } from './local/local-vector.store';
import { MongoMetadataStore } from './mongodb/mongo-metadata.store';
import { MetadataStore, ObjectStore, StateStore, VectorStore } from './ports';
import { LocalStateStore } from './local/local-state.store';
import { MongoStateStore } from './mongodb/mongo-state.store';
import { QdrantVectorStore } from './qdrant/qdrant-vector.store';
import { S3ObjectStore } from './s3/s3-object.store';

/**
 * A query on a live MongoDB server may take this many deadlines (a server without the
 * file_key index, FerretDB v1 among them, sorts the whole collection before a scan's
 * first record); the driver's socket timeout is the same, so the two agree.
 */
export const SLOW_QUERY_DEADLINES = 6;

// Metadata and state share one MongoDB server: what one wrapper learns (it hangs) the other
// uses at once, instead of each call site waiting out a deadline of its own. One per app.
const mongoLatches = new WeakMap<AppConfig, StoreLatch>();

function mongoLatch(config: AppConfig, ping: () => Promise<void>): StoreLatch {
  let latch = mongoLatches.get(config);
  if (!latch) {
    latch = new StoreLatch('mongodb', config.storeTimeoutMs, ping);
    mongoLatches.set(config, latch);
  }
  return latch;
}

/**
 * Each store is real when its URL is configured, local (embedded) otherwise; either way
 * wrapped so that every call has a deadline (DESIGN.md safety rule 9).
 */
export function createMetadataStore(config: AppConfig): MetadataStore {
  const timeoutMs = config.storeTimeoutMs;
  if (!config.mongodb) {
    return new DeadlineMetadataStore(new LocalMetadataStore({ dataDir: config.dataDir, collection: config.filesCollection }), { timeoutMs });
  }
  const store = new MongoMetadataStore({ ...config.mongodb, mapping: config.dataModel.metadata, timeoutMs });
  return new DeadlineMetadataStore(store, {
    timeoutMs,
    slowQueryCeilingMs: timeoutMs * SLOW_QUERY_DEADLINES,
    latch: mongoLatch(config, () => store.ping()),
  });
}

export function createObjectStore(config: AppConfig): ObjectStore {
  const store = config.s3
    ? new S3ObjectStore({ ...config.s3, timeoutMs: config.storeTimeoutMs })
    : new LocalObjectStore({ dataDir: config.dataDir, bucket: config.s3Bucket, versioning: true });
  return new DeadlineObjectStore(store, config.storeTimeoutMs);
}

export function createVectorStore(config: AppConfig): VectorStore {
  const store = config.qdrant
    ? new QdrantVectorStore({ ...config.qdrant, mapping: config.dataModel.vectors, timeoutMs: config.storeTimeoutMs })
    : new LocalVectorStore({ dataDir: config.dataDir, collection: config.qdrantCollection });
  return new DeadlineVectorStore(store, config.storeTimeoutMs);
}

/** The service's own state lives beside the metadata; its calls are retried on transient errors. */
export function createStateStore(config: AppConfig): StateStore {
  const timeoutMs = config.storeTimeoutMs;
  if (!config.mongodb) return new ResilientStateStore(new LocalStateStore({ dataDir: config.dataDir }), { timeoutMs, retry: config.stateRetry });
  const store = new MongoStateStore({ uri: config.mongodb.uri, timeoutMs, socketTimeoutMs: timeoutMs * SLOW_QUERY_DEADLINES });
  return new ResilientStateStore(store, {
    timeoutMs,
    retry: config.stateRetry,
    slowQueryCeilingMs: timeoutMs * SLOW_QUERY_DEADLINES,
    latch: mongoLatch(config, () => store.ping()),
  });
}
