import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QdrantClient } from '@qdrant/js-client-rest';
import { pointId, sha256Hex } from '@storesync/core';
import mongoose from 'mongoose';
import { TEST_DIMENSION, TEST_MODEL } from './seed';

/** Where a test server keeps its data (its isolated database, bucket and collection). */
export interface BulkTarget {
  MONGODB_URI: string;
  S3_ENDPOINT: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  S3_REGION: string;
  S3_BUCKET: string;
  QDRANT_URL: string;
  QDRANT_COLLECTION: string;
}

export interface BulkWorld {
  fileIds: string[];
  points: number;
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * `count` consistent files (metadata, object, `chunks` points each) written in bulk with
 * the raw clients into stores the test server already created (its init made the bucket
 * and the collection). Everything is old enough for the grace window; an analysis of
 * this world finds nothing, so any finding but store_unavailable is a false one.
 */
export async function seedConsistentWorld(
  target: BulkTarget,
  count: number,
  options: { chunks?: number; stores?: ('mongodb' | 's3' | 'qdrant')[] } = {},
): Promise<BulkWorld> {
  const chunks = options.chunks ?? 1;
  const stores = new Set(options.stores ?? ['mongodb', 's3', 'qdrant']);
  const mongo = await new mongoose.mongo.MongoClient(target.MONGODB_URI).connect();
  const s3 = new S3Client({
    region: target.S3_REGION,
    endpoint: target.S3_ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: target.S3_ACCESS_KEY_ID, secretAccessKey: target.S3_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const qdrant = new QdrantClient({ url: target.QDRANT_URL, checkCompatibility: false, timeout: 120_000 });
  const vector = Array.from({ length: TEST_DIMENSION }, (_, i) => (i === 0 ? 1 : 0));
  const at = new Date(Date.now() - 3600_000);
  const fileIds: string[] = [];
  try {
    for (let from = 0; from < count; from += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - from) }, (_, i) => {
        const n = from + i;
        const userId = `user-${n % 10}`;
        const fileId = `file-${String(n).padStart(6, '0')}`;
        const body = Buffer.from(`bytes of ${fileId}`);
        return { userId, fileId, key: `${userId}/${fileId}.txt`, body, sha256: sha256Hex(body) };
      });
      fileIds.push(...batch.map((f) => f.fileId));
      const documents = batch.map((f) => ({
        file_id: f.fileId,
        user_id: f.userId,
        file_key: f.key,
        file_name: `${f.fileId}.txt`,
        file_size: f.body.length,
        content_type: 'text/plain',
        sha256: f.sha256,
        is_active: true,
        embedding: { chunks, model: TEST_MODEL, content_hash: f.sha256 },
        created_at: at,
        updated_at: at,
        deleted_at: null,
      }));
      const points = batch.flatMap((f) =>
        Array.from({ length: chunks }, (_, c) => ({
          id: pointId(f.fileId, c),
          vector,
          payload: { file_id: f.fileId, user_id: f.userId, chunk_index: c, chunk_count: chunks, content_hash: f.sha256, model: TEST_MODEL, text: `chunk ${c}` },
        })),
      );
      await Promise.all([
        stores.has('mongodb') && mongo.db().collection('files').insertMany(documents, { ordered: false }),
        stores.has('s3') &&
          pool(batch, 16, (f) =>
            s3.send(
              new PutObjectCommand({
                Bucket: target.S3_BUCKET,
                Key: f.key,
                Body: f.body,
                ContentType: 'text/plain',
                ChecksumSHA256: Buffer.from(f.sha256, 'hex').toString('base64'),
              }),
            ),
          ),
        stores.has('qdrant') &&
          (async () => {
            for (let i = 0; i < points.length; i += 1000) {
              await qdrant.upsert(target.QDRANT_COLLECTION, { wait: true, points: points.slice(i, i + 1000) });
            }
          })(),
      ]);
    }
  } finally {
    await mongo.close();
    s3.destroy();
  }
  return { fileIds, points: count * chunks };
}
