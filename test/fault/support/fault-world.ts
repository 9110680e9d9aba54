import { EventEmitter2 } from '@nestjs/event-emitter';
import request from 'supertest';
import type { StoreName } from '@storesync/core';
import { BulkTarget, seedConsistentWorld } from '../../support/bulk-seed';
import { uniqueName } from '../../support/factories';
import { startTestServer, TestServer } from '../../support/server';
import { PrivateStack, startPrivateStack } from '../../support/stack';

/**
 * Small, so the suite is short; every bound is in multiples of it. Not smaller: on a loaded
 * two-core machine FerretDB, sorting 5,000 records, can take a second to answer a ping.
 */
export const STORE_TIMEOUT_MS = 2000;
export const CHUNKS = 4;

export interface RunEnd {
  run_id: string;
  state: string;
  partial: boolean;
}

/**
 * A private stack (so SIGSTOP freezes nothing of the rest of the suite) with one bucket
 * and one collection seeded once; each scenario gets a server with a database of its own
 * (metadata seeded again, fast), so no scenario inherits another's runs and issues.
 */
export class FaultWorld {
  stack!: PrivateStack;
  private bucket = uniqueName('fault');
  private collection = this.bucket.replace(/-/g, '_');

  async start(files: number): Promise<void> {
    this.stack = await startPrivateStack();
    const seeder = await this.server();
    try {
      await seedConsistentWorld(seeder.target, files, { chunks: CHUNKS, stores: ['s3', 'qdrant'] });
    } finally {
      await seeder.server.close();
    }
  }

  /** A server on the seeded bucket and collection with a fresh database (metadata seeded when `files` is given). */
  async server(files?: number, overrides: Record<string, string> = {}): Promise<{ server: TestServer; target: BulkTarget }> {
    const database = uniqueName('db').replace(/-/g, '_');
    const target: BulkTarget = {
      MONGODB_URI: this.stack.env.MONGODB_URI.replace(/\/storesync$/, `/${database}`),
      S3_ENDPOINT: this.stack.env.S3_ENDPOINT,
      S3_ACCESS_KEY_ID: this.stack.env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: this.stack.env.S3_SECRET_ACCESS_KEY,
      S3_REGION: this.stack.env.S3_REGION,
      S3_BUCKET: this.bucket,
      QDRANT_URL: this.stack.env.QDRANT_URL,
      QDRANT_COLLECTION: this.collection,
    };
    // No Redis: these servers share nothing with other instances.
    const server = await startTestServer({ ...target, STORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS), REDIS_URL: '', ...overrides });
    watchRuns(server);
    if (files !== undefined) await seedConsistentWorld(target, files, { chunks: CHUNKS, stores: ['mongodb'] });
    return { server, target };
  }

  pid(store: StoreName): number {
    return this.stack.pid(store);
  }

  async stop(): Promise<void> {
    await this.stack?.stop();
  }
}

export function auth(server: TestServer): Record<string, string> {
  return { Authorization: `Bearer ${server.token}` };
}

// Every run's end as the bus told it, heard from the server's start: a run on a hung store can
// end before the request that started it has answered.
const ends = new WeakMap<TestServer, Map<string, RunEnd>>();
const waiters = new WeakMap<TestServer, Map<string, (end: RunEnd) => void>>();

function watchRuns(server: TestServer): void {
  const seen = new Map<string, RunEnd>();
  const waiting = new Map<string, (end: RunEnd) => void>();
  ends.set(server, seen);
  waiters.set(server, waiting);
  server.app.get(EventEmitter2).on('analysis.completed', (event: { data: RunEnd }) => {
    seen.set(event.data.run_id, event.data);
    waiting.get(event.data.run_id)?.(event.data);
  });
}

/** Resolves with the run's analysis.completed event (heard in process: the state store may be the hung one). */
export function completion(server: TestServer, runId: string): Promise<RunEnd> {
  const known = ends.get(server)?.get(runId);
  if (known) return Promise.resolve(known);
  return new Promise((resolve) => waiters.get(server)!.set(runId, resolve));
}

export async function startAnalysis(server: TestServer, body: Record<string, unknown> = {}): Promise<{ runId: string; done: Promise<RunEnd> }> {
  const started = await request(server.url)
    .post('/api/sync/analyze')
    .set(auth(server))
    .send({ ...body, wait: false });
  if (started.status !== 202) throw new Error(`analysis did not start: ${started.status} ${JSON.stringify(started.body)}`);
  const runId = started.body.run_id as string;
  return { runId, done: completion(server, runId) };
}

/** The promise's value, or `timedOut` once `ms` passed (a test must not hang on what it measures). */
export function within<T, U>(promise: Promise<T>, ms: number, timedOut: U): Promise<T | U> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(timedOut), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Polls until `check` returns a value (not undefined), or throws after `ms`. */
export async function eventually<T>(ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const FALSE_FINDINGS = [
  'missing_object',
  'missing_vectors',
  'orphan_object',
  'orphan_vectors',
  'size_mismatch',
  'stale_vectors',
  'checksum_mismatch',
  'deletion_incomplete',
];
