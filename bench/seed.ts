import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QdrantClient } from '@qdrant/js-client-rest';
import { pointId } from '@storesync/core';
import mongoose from 'mongoose';
import { BENCH_DIMENSION, BENCH_MODEL, benchVector, SeedFile, seedFile } from './dataset';
import { Progress } from './progress';

/** Where one data set lives: its own database, bucket and collection on the shared stack. */
export interface DatasetTarget {
  mongoUri: string;
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; bucket: string };
  qdrant: { url: string; apiKey?: string; collection: string };
}

export interface SeedOptions {
  size: number;
  chunks: number;
  s3Concurrency: number;
  /** Identities written per round (one insertMany, one upsert, its PutObjects). */
  batch?: number;
}

export interface SeedResult {
  seconds: number;
  records: number;
  objects: number;
  points: number;
  /** Wall time each store spent on its writes (they overlap). */
  storeSeconds: { mongodb: number; s3: number; qdrant: number; indexes: number };
}

/** Runs fn over items with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * Writes the data set with the raw clients, in bulk: insertMany of 1000 documents,
 * Qdrant upserts of ≤1000 points (dimension 8), PutObject of tiny bodies with bounded
 * parallelism. The three stores are written concurrently, batch by batch.
 */
export async function seedDataset(target: DatasetTarget, options: SeedOptions, progress: Progress): Promise<SeedResult> {
  const started = performance.now();
  const batch = options.batch ?? 1000;
  const mongo = await new mongoose.mongo.MongoClient(target.mongoUri).connect();
  const s3 = new S3Client({
    region: target.s3.region,
    endpoint: target.s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: target.s3.accessKeyId, secretAccessKey: target.s3.secretAccessKey },
    requestHandler: { httpAgent: { keepAlive: true, maxSockets: options.s3Concurrency } },
    // No CRC32 on top of the SHA-256 we send: the bench's CPU is MinIO's on 2 cores.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const qdrant = new QdrantClient({ url: target.qdrant.url, apiKey: target.qdrant.apiKey, checkCompatibility: false, timeout: 120_000 });
  const result: SeedResult = { seconds: 0, records: 0, objects: 0, points: 0, storeSeconds: { mongodb: 0, s3: 0, qdrant: 0, indexes: 0 } };
  const timed = async (store: keyof SeedResult['storeSeconds'], work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    result.storeSeconds[store] += (performance.now() - t) / 1000;
  };
  try {
    const files = mongo.db().collection('files');
    await s3.send(new CreateBucketCommand({ Bucket: target.s3.bucket }));
    await qdrant.createCollection(target.qdrant.collection, { vectors: { size: BENCH_DIMENSION, distance: 'Cosine' } });
    for (const field of ['file_id', 'user_id']) {
      await qdrant.createPayloadIndex(target.qdrant.collection, { field_name: field, field_schema: 'keyword', wait: true });
    }
    const now = Date.now();
    for (let from = 0; from < options.size; from += batch) {
      const seeds: SeedFile[] = [];
      for (let i = from; i < Math.min(from + batch, options.size); i++) seeds.push(seedFile(i, options.chunks, now));
      const documents = seeds.flatMap((s) => (s.document ? [s.document] : []));
      const objects = seeds.filter((s) => s.object);
      const points = seeds.flatMap((s) =>
        s.points.map((p) => ({
          id: pointId(s.fileId, p.chunkIndex),
          vector: benchVector(s.index, p.chunkIndex),
          payload: {
            file_id: s.fileId,
            user_id: s.userId,
            chunk_index: p.chunkIndex,
            chunk_count: p.chunkCount,
            content_hash: p.contentHash,
            model: BENCH_MODEL,
            text: `chunk ${p.chunkIndex} of ${s.fileId}`,
          },
        })),
      );
      await Promise.all([
        documents.length > 0 && timed('mongodb', () => files.insertMany(documents, { ordered: false })),
        timed('s3', () =>
          pool(objects, options.s3Concurrency, (s) =>
            s3.send(
              new PutObjectCommand({
                Bucket: target.s3.bucket,
                Key: s.fileKey,
                Body: s.body,
                ContentType: s.contentType,
                // As S3ObjectStore.put writes it: a deep check then reads the hash with one HEAD.
                ChecksumSHA256: Buffer.from(s.sha256, 'hex').toString('base64'),
              }),
            ),
          ),
        ),
        timed('qdrant', async () => {
          for (let i = 0; i < points.length; i += 1000) {
            await qdrant.upsert(target.qdrant.collection, { wait: true, points: points.slice(i, i + 1000) });
          }
        }),
      ]);
      result.records += documents.length;
      result.objects += objects.length;
      result.points += points.length;
      progress.update(Math.min(from + batch, options.size));
    }
    // The same indexes (names and keys) MongoMetadataStore.init() creates, built once after the load.
    await timed('indexes', () =>
      files.createIndexes([
        { key: { file_id: 1 }, name: 'file_id_unique', unique: true },
        { key: { file_key: 1 }, name: 'file_key' },
        { key: { user_id: 1, file_key: 1 }, name: 'user_id_file_key' },
      ]),
    );
  } finally {
    await mongo.close();
    s3.destroy();
  }
  result.seconds = (performance.now() - started) / 1000;
  progress.done();
  return result;
}
