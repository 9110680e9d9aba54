import { AppConfig } from '@storesync/config';
import { LocalMetadataStore } from './local/local-metadata.store';
import { LocalObjectStore } from './local/local-object.store';
import { LocalVectorStore } from './local/local-vector.store';
import { MongoMetadataStore } from './mongodb/mongo-metadata.store';
import { MetadataStore, ObjectStore, StateStore, VectorStore } from './ports';
import { LocalStateStore } from './local/local-state.store';
import { MongoStateStore } from './mongodb/mongo-state.store';
import { QdrantVectorStore } from './qdrant/qdrant-vector.store';
import { S3ObjectStore } from './s3/s3-object.store';

/** Each store is real when its URL is configured, local (embedded) otherwise. */
export function createMetadataStore(config: AppConfig): MetadataStore {
  return config.mongodb
    ? new MongoMetadataStore({ ...config.mongodb, mapping: config.dataModel.metadata, timeoutMs: config.storeTimeoutMs })
    : new LocalMetadataStore({ dataDir: config.dataDir, collection: config.filesCollection });
}

export function createObjectStore(config: AppConfig): ObjectStore {
  return config.s3
    ? new S3ObjectStore({ ...config.s3, timeoutMs: config.storeTimeoutMs })
    : new LocalObjectStore({ dataDir: config.dataDir, bucket: config.s3Bucket, versioning: true });
}

export function createVectorStore(config: AppConfig): VectorStore {
  return config.qdrant
    ? new QdrantVectorStore({ ...config.qdrant, mapping: config.dataModel.vectors, timeoutMs: config.storeTimeoutMs })
    : new LocalVectorStore({ dataDir: config.dataDir, collection: config.qdrantCollection });
}

/** The service's own state lives beside the metadata. */
export function createStateStore(config: AppConfig): StateStore {
  return config.mongodb
    ? new MongoStateStore({ uri: config.mongodb.uri, timeoutMs: config.storeTimeoutMs })
    : new LocalStateStore({ dataDir: config.dataDir });
}
