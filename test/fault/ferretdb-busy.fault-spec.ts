import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mongoose from 'mongoose';
import request from 'supertest';
import { uniqueName } from '../support/factories';
import { startTestServer, TestServer } from '../support/server';
import { MongoStateStore, ResilientStateStore } from '@storesync/storage';
import { startFerretDb, RunningServer } from '../support/stack';
import { seedFile } from '../support/seed';
import { auth, FALSE_FINDINGS } from './support/fault-world';

/**
 * FerretDB v1 keeps each database in one SQLite file. Another connection holding an
 * EXCLUSIVE transaction on it makes FerretDB answer writes "database is locked": a real
 * busy store, not a mock. The service's own state writes must ride it out (retried with
 * backoff) so the run completes.
 */
jest.setTimeout(180_000);

let dataDir: string;
let ferret: RunningServer;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(process.env.STORESYNC_STACK_DIR ?? '/tmp', 'busy-'));
  ferret = await startFerretDb(dataDir);
});

afterAll(async () => {
  await ferret?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Holds an exclusive lock on the database's SQLite file for `ms`, from a connection of our own. */
function holdLock(database: string, ms: number): { released: Promise<void> } {
  const file = path.join(dataDir, 'ferretdb', `${database}.sqlite`);
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 0');
  db.exec('BEGIN EXCLUSIVE');
  const released = new Promise<void>((resolve) =>
    setTimeout(() => {
      try {
        db.exec('COMMIT');
      } finally {
        db.close();
        resolve();
      }
    }, ms),
  );
  return { released };
}

describe('FerretDB busy (its SQLite file locked by another connection)', () => {
  it('holds writes until the lock is released (FerretDB v1 waits on SQLite; it does not refuse)', async () => {
    const database = uniqueName('probe').replace(/-/g, '_');
    const client = await new mongoose.mongo.MongoClient(ferret.url.replace(/\/storesync$/, `/${database}`), {
      serverSelectionTimeoutMS: 5000,
      retryWrites: false,
    }).connect();
    try {
      await client
        .db()
        .collection('probe')
        .insertOne({ _id: 'first' } as never);
      const lock = holdLock(database, 1500);
      const started = Date.now();
      await client
        .db()
        .collection('probe')
        .insertOne({ _id: 'second' } as never);
      await lock.released;
      // The condition is real: the write waited for the other connection's transaction.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    } finally {
      await client.close();
    }
  });

  it('a full analysis whose state writes wait longer than STORE_TIMEOUT_MS on the lock completes (the server answers pings: busy, not hung)', async () => {
    const database = uniqueName('busy').replace(/-/g, '_');
    const server: TestServer = await startTestServer({
      MONGODB_URI: ferret.url.replace(/\/storesync$/, `/${database}`),
      STORE_TIMEOUT_MS: '2000',
      REDIS_URL: '',
    });
    try {
      for (let i = 0; i < 20; i++) await seedFile(server.stores, { fileId: `busy-${i}`, userId: 'busy' });
      // Held across the run's first state writes (the run document, its issues, the tallies): 2.5 deadlines.
      const lock = holdLock(database, 5000);
      const run = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({});
      await lock.released;
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ state: 'completed', partial: false });
      expect(run.body.summary).toMatchObject({ total_files: 20, synced: 20 });
      for (const issue of run.body.issues) expect(FALSE_FINDINGS).not.toContain(issue.type);
      const saved = await request(server.url).get(`/api/sync/runs/${run.body.run_id}`).set(auth(server)).expect(200);
      expect(saved.body.state).toBe('completed');
    } finally {
      await server.close();
    }
  });
});

describe('FerretDB dropping connections (restarted under a write)', () => {
  it('the state store retries the write with backoff and every document lands once', async () => {
    const port = Number(new URL(ferret.url).port);
    const database = uniqueName('blip').replace(/-/g, '_');
    const uri = ferret.url.replace(/\/storesync$/, `/${database}`);
    const store = new ResilientStateStore(new MongoStateStore({ uri, timeoutMs: 5000, socketTimeoutMs: 30_000 }), {
      timeoutMs: 5000,
      retry: { attempts: 6, baseDelayMs: 200 },
      // As the store factory sets it for MongoDB: a bulk write may run while the server answers pings.
      slowQueryCeilingMs: 30_000,
    });
    const docs = Array.from({ length: 3000 }, (_, i) => ({ id: `doc-${i}`, n: i }));
    try {
      const collection = store.collection<{ id: string; n: number }>('blips');
      await collection.insert({ id: 'warm-up', n: -1 });
      let landed = false;
      const write = collection.upsertMany(docs).then(() => void (landed = true));
      // FerretDB stopped while the chunks are being written, then started again on the same port.
      await new Promise((r) => setTimeout(r, 300));
      expect(landed).toBe(false);
      await ferret.stop();
      ferret = await startFerretDb(dataDir, port);
      await write;
      expect(await collection.count({})).toBe(docs.length + 1);
      const sample = await collection.find({ id: { $in: ['doc-0', 'doc-2999'] } });
      expect(sample.map((d) => d.n).sort((a, b) => a - b)).toEqual([0, 2999]);
    } finally {
      await store.close().catch(() => undefined);
    }
  });
});
