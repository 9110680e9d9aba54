import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QdrantClient } from '@qdrant/js-client-rest';
import request from 'supertest';
import { pointId, type StoreName } from '@storesync/core';
import { pause } from '../support/stack';
import type { BulkTarget } from '../support/bulk-seed';
import { auth, FALSE_FINDINGS, FaultWorld, STORE_TIMEOUT_MS, within } from './support/fault-world';

/**
 * Safety rule 9 beyond full scans: a single-file check and a repair with one store stopped
 * by SIGSTOP answer within about two deadlines, say which store could not be read, find
 * nothing false and destroy nothing (an object is either at its key or in quarantine, a
 * point either in its collection or kept for restore).
 */
const FILES = 100;
const ORPHANS = 6;
const BOUND_MS = 2 * STORE_TIMEOUT_MS + 4000;

jest.setTimeout(240_000);

const world = new FaultWorld();
const measured: Record<string, number> = {};

beforeAll(() => world.start(FILES));
afterAll(async () => {
  process.stdout.write(`hang → answer (ms), STORE_TIMEOUT_MS=${STORE_TIMEOUT_MS}: ${JSON.stringify(measured)}\n`);
  await world.stop();
});

function clients(target: BulkTarget) {
  const s3 = new S3Client({
    region: target.S3_REGION,
    endpoint: target.S3_ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: target.S3_ACCESS_KEY_ID, secretAccessKey: target.S3_SECRET_ACCESS_KEY },
  });
  const qdrant = new QdrantClient({ url: target.QDRANT_URL, checkCompatibility: false });
  return { s3, qdrant };
}

/** Orphans a repair would remove: objects no metadata names, points of no file. */
async function plantOrphans(target: BulkTarget, tag: string): Promise<{ keys: string[]; pointIds: string[] }> {
  const { s3, qdrant } = clients(target);
  const keys = Array.from({ length: ORPHANS }, (_, i) => `orphans-${tag}/object-${i}.bin`);
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: target.S3_BUCKET, Key: key, Body: Buffer.from(`orphan ${key}`) }));
  const points = Array.from({ length: ORPHANS }, (_, i) => ({
    id: pointId(`ghost-${tag}-${i}`, 0),
    vector: Array.from({ length: 256 }, (_, d) => (d === 1 ? 1 : 0)),
    payload: { file_id: `ghost-${tag}-${i}`, user_id: 'ghosts', chunk_index: 0, chunk_count: 1, content_hash: 'x', model: 'hash-v1', text: 'ghost' },
  }));
  await qdrant.upsert(target.QDRANT_COLLECTION, { wait: true, points });
  s3.destroy();
  return { keys, pointIds: points.map((p) => p.id) };
}

/** Each planted object is at its key or under the quarantine prefix; each point in the collection or in its quarantine. */
async function assertNothingLost(target: BulkTarget, planted: { keys: string[]; pointIds: string[] }): Promise<void> {
  const { s3, qdrant } = clients(target);
  const exists = (key: string) =>
    s3.send(new HeadObjectCommand({ Bucket: target.S3_BUCKET, Key: key })).then(
      () => true,
      () => false,
    );
  const day = new Date().toISOString().slice(0, 10);
  for (const key of planted.keys) {
    expect((await exists(key)) || (await exists(`quarantine/${day}/${key}`))).toBe(true);
  }
  const live = await qdrant.retrieve(target.QDRANT_COLLECTION, { ids: planted.pointIds, with_payload: false });
  const { exists: hasQuarantine } = await qdrant.collectionExists(`${target.QDRANT_COLLECTION}_quarantine`);
  const kept = hasQuarantine ? await qdrant.retrieve(`${target.QDRANT_COLLECTION}_quarantine`, { ids: planted.pointIds, with_payload: false }) : [];
  expect(live.length + kept.length).toBeGreaterThanOrEqual(planted.pointIds.length);
  s3.destroy();
}

describe.each<StoreName>(['s3', 'qdrant', 'mongodb'])('%s stopped (SIGSTOP)', (store) => {
  it('a single-file check answers within two deadlines, the store unknown, never missing', async () => {
    const { server } = await world.server(FILES);
    try {
      const hang = pause(world.pid(store));
      const hungAt = Date.now();
      let res: request.Response;
      try {
        res = await within(
          request(server.url)
            .post('/api/sync/check/file-000007')
            .set(auth(server))
            .then((r) => r),
          BOUND_MS + 20_000,
          null as never,
        );
        measured[`check:${store}`] = Date.now() - hungAt;
        expect(res).not.toBeNull();
        expect(Date.now() - hungAt).toBeLessThan(BOUND_MS);
      } finally {
        hang.resume();
      }
      if (store === 'mongodb') {
        // Without metadata the file cannot be checked at all: said so, never "not found".
        expect(res.status).toBe(503);
        expect(JSON.stringify(res.body)).toMatch(/store_unavailable|unavailable/i);
        return;
      }
      expect(res.status).toBe(200);
      expect(res.body.stores[store]).toBeNull();
      expect(res.body.status).toBe('error');
      const types = res.body.issues.map((i: { type: string }) => i.type);
      expect(types).toContain('store_unavailable');
      for (const type of FALSE_FINDINGS) expect(types).not.toContain(type);
    } finally {
      await server.close();
    }
  });

  it('a repair refuses or fails what it cannot check, within two deadlines, and destroys nothing', async () => {
    const { server, target } = await world.server(FILES);
    try {
      const planted = await plantOrphans(target, store);
      const analysis = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({}).expect(200);
      expect(analysis.body.state).toBe('completed');
      const plan = await request(server.url)
        .post('/api/sync/fix')
        .set(auth(server))
        .send({ types: ['orphan_object', 'orphan_vectors'], allow_destructive: true })
        .expect(200);
      expect(plan.body.total_actions).toBeGreaterThanOrEqual(2 * ORPHANS);

      const hang = pause(world.pid(store));
      const hungAt = Date.now();
      let res: request.Response;
      try {
        const execute = request(server.url)
          .post('/api/sync/fix')
          .set(auth(server))
          .send({ plan_id: plan.body.plan_id, dry_run: false, allow_destructive: true, force: true });
        res = await within(
          execute.then((r) => r),
          BOUND_MS + 30_000,
          null as never,
        );
        measured[`repair:${store}`] = Date.now() - hungAt;
        expect(res).not.toBeNull();
        expect(Date.now() - hungAt).toBeLessThan(BOUND_MS);
      } finally {
        hang.resume();
      }
      if (res.status === 200) {
        // Nothing on the hung store is done; what it could not check is failed or skipped, saying why.
        const onHung = res.body.actions.filter((a: { target: string }) => a.target.startsWith(`${store}:`));
        for (const action of onHung) expect(action.result).not.toBe('done');
        expect(res.body.summary.failed + res.body.summary.skipped).toBeGreaterThan(0);
      } else {
        expect(res.status).toBe(503);
        expect(JSON.stringify(res.body)).toMatch(/store_unavailable|unavailable/i);
      }
      await assertNothingLost(target, planted);
    } finally {
      await server.close();
    }
  });
});
