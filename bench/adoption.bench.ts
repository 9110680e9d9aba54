import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { INestApplication } from '@nestjs/common';
import { QdrantClient } from '@qdrant/js-client-rest';
import { MongoClient, ObjectId } from 'mongodb';
import { stringify as toYaml } from 'yaml';
import { AnalysisService, DoctorService } from '@storesync/analysis';
import { chunkPoints, FileRecord, mapBounded, sha256Hex } from '@storesync/core';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { startBenchApp } from './app';
import type { BenchContext, BenchSuite, SuiteReport } from './suites';
import { isolatedStoreEnv, log } from './suite-env';

/**
 * The same deployment twice: once in storesync's own layout, once as another backend
 * wrote it (camelCase documents with ObjectId ids and nested fields, keys under a tenant
 * prefix with thumbnails beside them, LangChain-layout points with random ids), and the
 * analysis time of each. `--only=adoption`.
 */
const FILES = Number(process.env.BENCH_ADOPTION_FILES ?? 10_000);
const POINTS_PER_FILE = 2;
const DIMENSION = 8;
const USERS = 50;

function envFor(context: BenchContext, name: string): Record<string, string> {
  return isolatedStoreEnv(context, name, {
    EMBEDDING_DIMENSION: String(DIMENSION),
    SYNC_GRACE_SECONDS: '0',
    SYNC_TIMEOUT: '86400',
    SYNC_API_TOKEN: 'bench-adoption-token-0123456789',
    // FerretDB on a loaded 2-core machine stalls past the 10 s default while seeding.
    STORE_TIMEOUT_MS: '30000',
  });
}

const body = (i: number) => Buffer.from(`file ${i}`);
const unit = (i: number) => Array.from({ length: DIMENSION }, (_, d) => (d === i % DIMENSION ? 1 : 0.01));

/** storesync's own layout, written through its adapters, in batches (a round trip per file per store took most of an hour on a loaded machine). */
async function seedDefault(app: INestApplication): Promise<void> {
  const metadata = app.get(MetadataStore);
  const objects = app.get(ObjectStore);
  const vectors = app.get(VectorStore);
  const at = new Date(Date.now() - 86_400_000);
  const records: FileRecord[] = Array.from({ length: FILES }, (_, i) => {
    const bytes = body(i);
    const sha256 = sha256Hex(bytes);
    const userId = `u${i % USERS}`;
    return {
      fileId: `f${i}`,
      userId,
      fileKey: `${userId}/f${i}/a.txt`,
      fileName: 'a.txt',
      fileSize: bytes.length,
      contentType: 'text/plain',
      sha256,
      isActive: true,
      embedding: { chunks: POINTS_PER_FILE, model: 'hash-v1', contentHash: sha256 },
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
  });
  await mapBounded(records, 8, (record) => metadata.upsert(record));
  await mapBounded(records, 8, (record) =>
    objects.put(record.fileKey, body(Number(record.fileId.slice(1))), { contentType: 'text/plain', sha256: record.sha256! }).then(() => undefined),
  );
  const chunks = Array.from({ length: POINTS_PER_FILE }, (_, c) => `chunk ${c}`);
  for (let i = 0; i < FILES; i += 250) {
    const points = records.slice(i, i + 250).flatMap((r, j) =>
      chunkPoints(
        { fileId: r.fileId, userId: r.userId, contentHash: r.sha256!, model: 'hash-v1' },
        chunks,
        chunks.map(() => unit(i + j)),
      ),
    );
    await vectors.upsert(points);
  }
}

/** The same files as another backend wrote them: the driver, the AWS SDK, LangChain's payload layout. */
async function seedAdopted(env: Record<string, string>, collection: string): Promise<string> {
  const mongo = await MongoClient.connect(env.MONGODB_URI);
  const s3 = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
  });
  const qdrant = new QdrantClient({ url: env.QDRANT_URL, checkCompatibility: false });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: env.S3_BUCKET }));
    await qdrant.createCollection(env.QDRANT_COLLECTION, { vectors: { size: DIMENSION, distance: 'Cosine' } });
    const at = Date.now() - 86_400_000;
    const ids = Array.from({ length: FILES }, () => new ObjectId());
    const key = (i: number) => `tenant-a/u${i % USERS}/${ids[i].toHexString()}/a.txt`;
    for (let i = 0; i < FILES; i += 1000) {
      await mongo
        .db()
        .collection(collection)
        .insertMany(
          ids.slice(i, i + 1000).map((_id, j) => ({
            _id,
            ownerId: `u${(i + j) % USERS}`,
            fileName: 'a.txt',
            mime: 'text/plain',
            storage: { key: key(i + j), size: String(body(i + j).length) },
            checksum: sha256Hex(body(i + j)),
            status: 'ready',
            createdAt: new Date(at),
            updatedAt: at,
            ingest: { chunks: POINTS_PER_FILE },
          })),
        );
    }
    await mapBounded(
      Array.from({ length: FILES }, (_, i) => i),
      8,
      async (i) => {
        await s3.send(new PutObjectCommand({ Bucket: env.S3_BUCKET, Key: key(i), Body: body(i) }));
        // One thumbnail per ten files, beside them: never scanned.
        if (i % 10 === 0) await s3.send(new PutObjectCommand({ Bucket: env.S3_BUCKET, Key: `thumbnails/${ids[i].toHexString()}.png`, Body: body(i) }));
      },
    );
    for (let i = 0; i < FILES; i += 250) {
      const points = ids.slice(i, i + 250).flatMap((id, j) =>
        Array.from({ length: POINTS_PER_FILE }, (_, c) => ({
          id: randomUUID(),
          vector: unit(i + j),
          payload: { content: `chunk ${c}`, metadata: { file_id: id.toHexString(), user_id: `u${(i + j) % USERS}`, source: 'upload' } },
        })),
      );
      await qdrant.upsert(env.QDRANT_COLLECTION, { wait: true, points });
    }
  } finally {
    await mongo.close();
    s3.destroy();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-adoption-'));
  const file = path.join(dir, 'storesync.config.yaml');
  fs.writeFileSync(
    file,
    toYaml({
      metadata: {
        collection,
        fields: {
          file_id: '_id',
          user_id: 'ownerId',
          file_key: 'storage.key',
          file_name: 'fileName',
          file_size: 'storage.size',
          content_type: 'mime',
          sha256: 'checksum',
          created_at: 'createdAt',
          updated_at: 'updatedAt',
          embedding_chunks: 'ingest.chunks',
          embedding_model: null,
          embedding_content_hash: null,
        },
        active: { field: 'status', equals: 'ready' },
      },
      objects: { user_from_key: '^tenant-a/(?<user_id>[^/]+)/', ignore_prefixes: ['thumbnails/'] },
      vectors: {
        payload: {
          file_id: 'metadata.file_id',
          user_id: 'metadata.user_id',
          chunk_index: null,
          chunk_count: null,
          content_hash: null,
          model: null,
          text: 'content',
        },
      },
    }),
  );
  return file;
}

async function analysisSeconds(app: INestApplication): Promise<{ seconds: number; files: number; issues: number }> {
  const started = performance.now();
  const run = await app.get(AnalysisService).start({ trigger: 'bench' }).done;
  return { seconds: (performance.now() - started) / 1000, files: run.summary.total_files, issues: run.issues_found };
}

export const suite: BenchSuite = {
  name: 'adoption',
  async run(context: BenchContext): Promise<SuiteReport> {
    const stamp = Date.now();
    const defaultEnv = envFor(context, `bench_default_${stamp}`);
    const adoptedEnv = envFor(context, `bench_adopted_${stamp}`);
    log(`adoption: seeding ${FILES} files twice (storesync's layout, another backend's)`);
    const seedStarted = performance.now();
    const defaultApp = await startBenchApp(defaultEnv);
    let adoptedApp: INestApplication | undefined;
    try {
      await seedDefault(defaultApp);
      const config = await seedAdopted(adoptedEnv, 'documents');
      adoptedApp = await startBenchApp({ ...adoptedEnv, STORESYNC_CONFIG: config });
      log(`adoption: seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);
      const rounds: Array<{ own: Awaited<ReturnType<typeof analysisSeconds>>; adopted: Awaited<ReturnType<typeof analysisSeconds>> }> = [];
      // Alternated, twice: the machine is shared and one pair says little.
      for (let r = 0; r < 2; r += 1) {
        const own = await analysisSeconds(defaultApp);
        const adopted = await analysisSeconds(adoptedApp);
        log(
          `adoption round ${r + 1}: own layout ${own.seconds.toFixed(2)} s (${own.issues} issues), adopted ${adopted.seconds.toFixed(2)} s (${adopted.issues} issues)`,
        );
        rounds.push({ own, adopted });
      }
      const doctorStarted = performance.now();
      const report = await adoptedApp.get(DoctorService).examine();
      const doctorSeconds = (performance.now() - doctorStarted) / 1000;
      const fields = report.proposed_config.metadata as { fields: Record<string, string | null> };
      log(
        `adoption: doctor in ${doctorSeconds.toFixed(1)} s, writer ${report.inferred.writer}, file_key ${fields.fields.file_key}, warnings ${report.warnings.length}`,
      );
      return {
        title: "Adoption: analysis of another backend's layout",
        markdown: [
          `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${FILES} files × ${POINTS_PER_FILE} points, on a shared 2-core machine. Own layout: storesync's documents, keys and points;`,
          'adopted: camelCase documents (ObjectId `_id`, nested `storage.key`/`storage.size` as a string, `status`), keys under `tenant-a/` with a thumbnail per ten files beside them, LangChain-layout points with random ids (no hash, no chunk index).',
          '',
          '| round | own layout s | issues | adopted s | issues | ratio |',
          '|---:|---:|---:|---:|---:|---:|',
          ...rounds.map(
            (r, i) =>
              `| ${i + 1} | ${r.own.seconds.toFixed(2)} | ${r.own.issues} | ${r.adopted.seconds.toFixed(2)} | ${r.adopted.issues} | ${(r.adopted.seconds / r.own.seconds).toFixed(2)} |`,
          ),
          '',
          `Doctor on the adopted world: ${doctorSeconds.toFixed(1)} s, points written by ${report.inferred.writer}, ${report.warnings.length} warning(s): ${report.warnings.join('; ') || 'none'}.`,
        ],
      };
    } finally {
      await defaultApp.close();
      await adoptedApp?.close();
    }
  },
};
