import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mapBounded, sha256Hex } from '@storesync/core';
import { ScrubberService } from '@storesync/scrubber';
import { MetadataStore, ObjectStore } from '@storesync/storage';
import { AppModule } from '../apps/server/src/app.module';
import type { BenchContext, BenchSuite, SuiteReport } from './suites';
import { log } from './suite-env';

// 400 MiB: a scheduled run reads for up to SCRUB_TIME_BUDGET_SECONDS (300 s); with 80 MiB a round lasted
// about a second and the run's fixed state round trips (~0.25 s) were measured rather than its throughput.
const FILES = 800;
const FILE_BYTES = 512 * 1024;
const CONCURRENCY = 4;
/** The limited run: well under the raw rate, long enough for pacing to dominate. */
const LIMIT_BYTES_PER_SECOND = 8 * 1024 * 1024;
const LIMIT_BUDGET_SECONDS = 8;
const ROUNDS = 3;

const mib = (bytesPerSecond: number) => `${(bytesPerSecond / 1024 / 1024).toFixed(1)} MiB/s`;

async function startApp(context: BenchContext, name: string, scrub: Record<string, string>): Promise<INestApplication> {
  const { env } = context.stack;
  const mongo = new URL(env.MONGODB_URI);
  mongo.pathname = `/${name}`;
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        ...env,
        MONGODB_URI: mongo.toString(),
        S3_BUCKET: name.replace(/_/g, '-'),
        QDRANT_COLLECTION: name,
        SYNC_API_TOKEN: 'bench-admin-token-0123456789',
        SYNC_GRACE_SECONDS: '0',
        REDIS_URL: '',
        LOG_LEVEL: 'warn',
        CHANGE_FEED_METADATA: 'off',
        SCRUB_INTERVAL_MINUTES: '0',
        SCRUB_CONCURRENCY: String(CONCURRENCY),
        ...scrub,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  await app.init();
  return app;
}

async function seed(app: INestApplication): Promise<string[]> {
  const metadata = app.get(MetadataStore);
  const objects = app.get(ObjectStore);
  const now = new Date(Date.now() - 3600_000);
  const keys = Array.from({ length: FILES }, (_, i) => `bench-user/scrub-${String(i).padStart(5, '0')}.bin`);
  await mapBounded(keys, 8, async (key) => {
    const bytes = randomBytes(FILE_BYTES);
    const sha256 = sha256Hex(bytes);
    const fileId = key.replace(/\W/g, '-');
    await metadata.upsert({
      fileId,
      userId: 'bench-user',
      fileKey: key,
      fileName: key,
      fileSize: bytes.length,
      contentType: 'application/octet-stream',
      sha256,
      isActive: true,
      embedding: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await objects.put(key, bytes, { contentType: 'application/octet-stream', sha256 });
  });
  return keys;
}

/** The plain S3 client of the floor: one for every round, so its connections are as warm as the scrubber's. */
function rawClient(context: BenchContext): S3Client {
  const { env } = context.stack;
  return new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    // One SHA-256 per object, like the scrubber's: the SDK's default would hash each body a second time to check the stored checksum.
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The floor: the same objects fetched with the plain S3 client and hashed, at the same concurrency. */
async function rawRate(client: S3Client, bucket: string, keys: string[]): Promise<{ seconds: number; bytes: number }> {
  let bytes = 0;
  const started = performance.now();
  await mapBounded(keys, CONCURRENCY, async (key) => {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const hash = createHash('sha256');
    for await (const chunk of answer.Body as Readable) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    hash.digest('hex');
  });
  return { seconds: (performance.now() - started) / 1000, bytes };
}

async function scrubRun(app: INestApplication): Promise<{ seconds: number; bytes: number; files: number; stopped: string | null; mismatches: number }> {
  const started = performance.now();
  const run = await (await app.get(ScrubberService).start('api')).done;
  return {
    seconds: (performance.now() - started) / 1000,
    bytes: run.bytes_verified,
    files: run.files_verified,
    stopped: run.stopped,
    mismatches: run.mismatches,
  };
}

export const suite: BenchSuite = {
  name: 'scrub',
  async run(context: BenchContext): Promise<SuiteReport> {
    const name = `bench_scrub_${Date.now()}`;
    const bucket = name.replace(/_/g, '-');
    const rows: string[] = [];
    let app = await startApp(context, name, { SCRUB_BYTES_PER_SECOND: '0', SCRUB_TIME_BUDGET_SECONDS: '600' });
    let throughput: { raw: number; scrub: number };
    const ratios: number[] = [];
    let limited: { rate: number; seconds: number; bytes: number; stopped: string | null };
    try {
      log(`scrub: seeding ${FILES} objects of ${FILE_BYTES / 1024} KiB`);
      const keys = await seed(app);
      // Alternating, so a neighbour's load on the shared machine hits both sides alike; best of each.
      // Which side goes first swaps every round, so neither always meets the other's leftovers (caches, GC debt).
      const raw: number[] = [];
      const scrub: number[] = [];
      const client = rawClient(context);
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const measureRaw = async () => {
            const r = await rawRate(client, bucket, keys);
            if (r.bytes !== FILES * FILE_BYTES) throw new Error(`raw read ${r.bytes} of ${FILES * FILE_BYTES} bytes`);
            raw.push(r.bytes / r.seconds);
          };
          if (round % 2 === 0) await measureRaw();
          const s = await scrubRun(app);
          if (s.files !== FILES || s.mismatches !== 0) throw new Error(`scrub run verified ${s.files}/${FILES} files, ${s.mismatches} mismatches`);
          scrub.push(s.bytes / s.seconds);
          if (round % 2 === 1) await measureRaw();
          ratios.push(scrub[round] / raw[round]);
          log(`scrub: round ${round + 1}: raw GET+SHA-256 ${mib(raw[round])}, scrubber ${mib(scrub[round])} (${s.stopped}), ratio ${ratios[round].toFixed(2)}`);
        }
      } finally {
        client.destroy();
      }
      throughput = { raw: Math.max(...raw), scrub: Math.max(...scrub) };
    } finally {
      await app.close();
    }
    app = await startApp(context, name, { SCRUB_BYTES_PER_SECOND: String(LIMIT_BYTES_PER_SECOND), SCRUB_TIME_BUDGET_SECONDS: String(LIMIT_BUDGET_SECONDS) });
    try {
      const s = await scrubRun(app);
      limited = { rate: s.bytes / s.seconds, seconds: s.seconds, bytes: s.bytes, stopped: s.stopped };
      log(`scrub: limited to ${mib(LIMIT_BYTES_PER_SECOND)}: ${mib(limited.rate)} over ${limited.seconds.toFixed(1)} s (${s.stopped})`);
    } finally {
      await app.close();
    }
    const ratio = throughput.scrub / throughput.raw;
    const deviation = limited.rate / LIMIT_BYTES_PER_SECOND - 1;
    rows.push(
      '| objects | raw GET + SHA-256 | scrubber (unlimited) | ratio (target ≥ 0.8) | limit | scrubber limited | deviation (target ±10 %) |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${FILES} × ${FILE_BYTES / 1024} KiB, concurrency ${CONCURRENCY} | ${mib(throughput.raw)} | ${mib(throughput.scrub)} | ${ratio.toFixed(2)} | ${mib(LIMIT_BYTES_PER_SECOND)} | ${mib(limited.rate)} (${limited.seconds.toFixed(1)} s, ${limited.stopped}) | ${(deviation * 100).toFixed(1)} % |`,
    );
    return {
      title: 'Checksum scrubber',
      markdown: [
        `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the test stack (MinIO single drive, FerretDB), 2 cores shared with other work.`,
        `Raw: the plain S3 client GETs each object and hashes it, ${CONCURRENCY} at a time. Scrubber: a whole run (metadata and state reads, per-batch writes included),`,
        `best of ${ROUNDS} alternating rounds each (the side going first swaps every round; ratios per round ${ratios.map((r) => r.toFixed(2)).join(', ')}). Limited: SCRUB_BYTES_PER_SECOND=${LIMIT_BYTES_PER_SECOND} with a ${LIMIT_BUDGET_SECONDS} s budget; rate = bytes verified / run time.`,
        '',
        ...rows,
      ],
    };
  },
};
