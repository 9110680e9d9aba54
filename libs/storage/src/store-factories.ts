import { AppConfig } from '@storesync/config';
import { LocalMetadataStore } from './local/local-metadata.store';
import { LocalObjectStore } from './local/local-object.store';
import { LocalVectorStore } from './local/local-vector.store';
import { MongoMetadataStore } from './mongodb/mongo-metadata.store';
import { MetadataStore, ObjectStore, VectorStore } from './ports';
import { QdrantVectorStore } from './qdrant/qdrant-vector.store';
import { S3ObjectStore } from './s3/s3-object.store';

/** Each store is real when its URL is configured, local (embedded) otherwise. */
export function createMetadataStore(config: AppConfig): MetadataStore {
  return config.mongodb
    ? new MongoMetadataStore({ ...config.mongodb, timeoutMs: config.storeTimeoutMs })
    : new LocalMetadataStore({ dataDir: config.dataDir, collection: config.filesCollection });
}

export function createObjectStore(config: AppConfig): ObjectStore {
  return config.s3
    ? new S3ObjectStore({ ...config.s3, timeoutMs: config.storeTimeoutMs })
    : new LocalObjectStore({ dataDir: config.dataDir, bucket: config.s3Bucket, versioning: true });
}

export function createVectorStore(config: AppConfig): VectorStore {
  return config.qdrant
    ? new QdrantVectorStore({ ...config.qdrant, timeoutMs: config.storeTimeoutMs })
    : new LocalVectorStore({ dataDir: config.dataDir, collection: config.qdrantCollection });
}
