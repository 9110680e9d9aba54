import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mapBounded, pointId, sha256Hex } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { EmbeddingProvider } from '@storesync/ingest';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { AppModule } from '../apps/server/src/app.module';
import { configureApp } from '../apps/server/src/bootstrap';
import type { BenchContext, BenchSuite, SuiteReport } from './suites';
import { log } from './suite-env';

const CLIENTS = 100;
const EVENTS_PER_SECOND = 1000;
const SECONDS = 5;
const UPLOADS = 300;
const UPLOAD_CONCURRENCY = 8;
const TOKEN = 'bench-admin-token-0123456789';

async function startServer(context: BenchContext, name: string): Promise<{ app: INestApplication; url: string }> {
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
        SYNC_API_TOKEN: TOKEN,
        EVENT_QUEUE_SIZE: String(EVENTS_PER_SECOND * SECONDS * 2),
        SYNC_GRACE_SECONDS: '300',
        REDIS_URL: '',
        LOG_LEVEL: 'warn',
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

/** Event → client latency: 1,000 events/s for 5 s to 100 admin sockets (in a child process) on loopback. */
async function eventLatency(app: INestApplication, url: string): Promise<string[]> {
  const child = fork(path.join(__dirname, 'socket-clients.child.js'), [url, TOKEN, String(CLIENTS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`socket clients exited with ${code}`)));
  });
  const events = app.get(EventPublisher);
  const total = EVENTS_PER_SECOND * SECONDS;
  const perTick = EVENTS_PER_SECOND / 100;
  const wallNow = () => performance.timeOrigin + performance.now();
  let sent = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // Catch up on the schedule (timers drift under load) so the offered rate holds.
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * EVENTS_PER_SECOND) + perTick);
      while (sent < due) {
        sent += 1;
        events.publish('file.uploaded', { file_key: `k${sent}`, file_name: 'n', sent_at: wallNow() } as never, { userId: 'bench-user', fileId: `f${sent}` });
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const offered = total / ((performance.now() - started) / 1000);
  await new Promise((r) => setTimeout(r, 2000));
  const result = await new Promise<{ delivered: number; p50: number; p99: number; max: number }>((resolve) => {
    child.once('message', (message) => resolve(message as never));
    child.send({ finish: true });
  });
  const expected = total * CLIENTS;
  log(
    `events: ${total} at ${offered.toFixed(0)}/s to ${CLIENTS} clients — delivered ${result.delivered}/${expected}, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms`,
  );
  return [
    '| events | offered rate | clients | deliveries | p50 ms | p99 ms | max ms | target p99 |',
    '|---:|---:|---:|---|---:|---:|---:|---:|',
    `| ${total} | ${offered.toFixed(0)}/s | ${CLIENTS} | ${result.delivered} / ${expected} | ${result.p50.toFixed(1)} | ${result.p99.toFixed(1)} | ${result.max.toFixed(1)} | ≤ 20 |`,
  ];
}

function textFile(i: number): Buffer {
  return Buffer.from(`# note ${i}\n\n${randomBytes(1500).toString('base64')}\n`);
}

/**
 * Upload throughput through the full pipeline (HTTP multipart → metadata → S3 → extract,
 * chunk, embed → Qdrant → metadata), against the floor of the same writes made directly.
 */
async function uploadThroughput(app: INestApplication, url: string): Promise<string[]> {
  // The floor first: both then write into stores of the same size.
  const metadata = app.get(MetadataStore);
  const objects = app.get(ObjectStore);
  const vectors = app.get(VectorStore);
  const embedder = app.get(EmbeddingProvider);
  const floorStarted = performance.now();
  await mapBounded(
    Array.from({ length: UPLOADS }, (_, i) => i),
    UPLOAD_CONCURRENCY,
    async (i) => {
      const bytes = textFile(i);
      const sha256 = sha256Hex(bytes);
      const fileId = `floor-${i}`;
      const now = new Date();
      await metadata.upsert({
        fileId,
        userId: 'floor',
        fileKey: `floor/${fileId}.md`,
        fileName: `${fileId}.md`,
        fileSize: bytes.length,
        contentType: 'text/markdown',
        sha256,
        isActive: true,
        embedding: null,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await objects.put(`floor/${fileId}.md`, bytes, { contentType: 'text/markdown', sha256 });
      const chunks = bytes.toString().match(/[\s\S]{1,1000}/g) ?? [];
      const embedded = await embedder.embed(chunks);
      await vectors.upsert(
        chunks.map((text, chunkIndex) => ({
          id: pointId(fileId, chunkIndex),
          fileId,
          userId: 'floor',
          chunkIndex,
          chunkCount: chunks.length,
          contentHash: sha256,
          model: embedder.model,
          text,
          vector: embedded[chunkIndex],
        })),
      );
      await metadata.update(fileId, { embedding: { chunks: chunks.length, model: embedder.model, contentHash: sha256 } });
    },
  );
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  const started = performance.now();
  const statuses = await mapBounded(
    Array.from({ length: UPLOADS }, (_, i) => i),
    UPLOAD_CONCURRENCY,
    async (i) => {
      const form = new FormData();
      form.append('user_id', `bench-${i % 10}`);
      form.append('file', new Blob([textFile(i)], { type: 'text/markdown' }), `note-${i}.md`);
      const response = await fetch(`${url}/api/files`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${TOKEN}` } });
      await response.arrayBuffer();
      return response.status;
    },
  );
  const pipelineSeconds = (performance.now() - started) / 1000;
  const failed = statuses.filter((s) => s !== 201).length;

  const line = `uploads: ${UPLOADS} files (~2 KB, concurrency ${UPLOAD_CONCURRENCY}) — pipeline ${(UPLOADS / pipelineSeconds).toFixed(1)} files/s, direct writes ${(UPLOADS / floorSeconds).toFixed(1)} files/s, ratio ${(pipelineSeconds / floorSeconds).toFixed(2)}, failed ${failed}`;
  log(line);
  return [
    '| files | concurrency | pipeline files/s | direct writes files/s (floor) | ratio | failed |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${UPLOADS} | ${UPLOAD_CONCURRENCY} | ${(UPLOADS / pipelineSeconds).toFixed(1)} | ${(UPLOADS / floorSeconds).toFixed(1)} | ${(pipelineSeconds / floorSeconds).toFixed(2)} | ${failed} |`,
  ];
}

export const suite: BenchSuite = {
  name: 'events',
  byDefault: true,
  async run(context: BenchContext): Promise<SuiteReport> {
    const { app, url } = await startServer(context, `bench_events_${Date.now()}`);
    try {
      const latency = await eventLatency(app, url);
      const uploads = await uploadThroughput(app, url);
      return {
        title: 'Events and uploads',
        markdown: [
          `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. One server in the bench process; the ${CLIENTS} socket.io clients in one child process on the`,
          "same 2 cores; events are emitted on the in-process bus and timed from emit to each client's handler (shared wall clock).",
          '',
          ...latency,
          '',
          'Upload floor: the same metadata, object, embedding and point writes made directly with the adapters, at the same concurrency.',
          '',
          ...uploads,
        ],
      };
    } finally {
      await app.close();
    }
  },
};
