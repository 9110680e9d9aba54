import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { sha256Hex } from '@storesync/core';
import { CircuitBreakerTrippedError, RepairService } from '@storesync/repair';
import { startQdrantStandin } from '../support/qdrant-standin';
import { pointsFor, seedFile } from '../support/seed';
import { factories } from '../support/factories';
import { startTestServer, TestServer } from '../support/server';

interface ActionView {
  issue_id: string;
  type: string;
  action: string;
  target: string;
  destructive: boolean;
  result: string;
  reason?: string;
}
interface Issue {
  id: string;
  type: string;
  file_id: string | null;
  file_key: string | null;
  from_partial_run: boolean;
}

const auth = (server: TestServer) => ({ Authorization: `Bearer ${server.token}` });

async function analyze(server: TestServer, partial = false): Promise<Issue[]> {
  const res = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({});
  expect(res.status).toBe(200);
  expect(res.body.partial).toBe(partial);
  return res.body.issues;
}

async function fix(server: TestServer, body: Record<string, unknown>, status = 200) {
  const res = await request(server.url).post('/api/sync/fix').set(auth(server)).send(body);
  if (res.status !== status) throw new Error(`fix answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const openIssues = async (server: TestServer, query = ''): Promise<Issue[]> =>
  (await request(server.url).get(`/api/sync/issues?status=open&${query}`).set(auth(server)).expect(200)).body.issues;

async function trail(server: TestServer, query: string) {
  return (await request(server.url).get(`/api/sync/actions?${query}`).set(auth(server)).expect(200)).body.actions;
}

type FaultRule = (method: string, path: string, body: string) => boolean;

/**
 * A real HTTP hop in front of the Qdrant stand-in that answers 503 to the requests a
 * rule picks: the adapter sees exactly what a failing Qdrant would send.
 */
async function startFaultyQdrant() {
  const standin = await startQdrantStandin();
  let rule: FaultRule | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a test proxy: a rejection here should surface and fail the run
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      if (rule?.(req.method ?? 'GET', req.url ?? '/', body.toString('utf8'))) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: { error: 'injected fault: service unavailable' }, time: 0 }));
        return;
      }
      try {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value;
        }
        const upstream = await fetch(`${standin.url}${req.url}`, {
          method: req.method,
          headers,
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
        });
        const payload = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(payload);
      } catch (error) {
        res.writeHead(502);
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failWhen(next: FaultRule | null) {
      rule = next;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await standin.close();
    },
  };
}

describe('repair safety on the real stack', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('leaves destructive actions alone without allow_destructive, and runs the rest', async () => {
    server = await startTestServer();
    const { stores } = server;
    await seedFile(stores, { userId: 'alice', fileId: 'no-vectors' });
    await stores.vectors.deleteByFileId('no-vectors');
    await stores.objects.put('alice/orphan.bin', Buffer.from('keep me for now'));
    await analyze(server);
    const result = await fix(server, { dry_run: false });
    const lines = Object.fromEntries(result.actions.map((a: ActionView) => [a.action, a]));
    expect(lines.reembed.result).toBe('done');
    expect(lines.quarantine_object).toMatchObject({ destructive: true, result: 'skipped', reason: expect.stringMatching(/allow_destructive/) });
    expect(await stores.objects.head('alice/orphan.bin')).not.toBeNull();
    expect((await openIssues(server)).map((i) => i.type)).toEqual(['orphan_object']);
    const entries = await trail(server, `repair_id=${result.repair_id}`);
    expect(entries.find((e: { action: string; result: string }) => e.action === 'quarantine_object' && e.result === 'skipped')).toBeDefined();
  });

  it('does not touch what an upload claimed between the plan and its execution', async () => {
    server = await startTestServer();
    const { stores } = server;
    await stores.objects.put('bob/arriving.txt', Buffer.from('an upload in progress'));
    const ghost = factories.file({ fileId: 'arriving-vectors', userId: 'bob', sha256: 'e'.repeat(64) });
    await stores.vectors.upsert(pointsFor(ghost, ['first chunk', 'second chunk']));
    await analyze(server);
    const plan = await fix(server, { user_id: 'bob' });
    expect(plan.actions.map((a: ActionView) => a.action).sort()).toEqual(['delete_vectors', 'quarantine_object']);

    // The backend finishes both uploads: metadata now refers to the object and to the points.
    const now = new Date();
    await stores.metadata.upsert(factories.file({ userId: 'bob', fileKey: 'bob/arriving.txt', fileSize: 21, createdAt: now, updatedAt: now }));
    await stores.metadata.upsert({ ...ghost, createdAt: now, updatedAt: now });

    const result = await fix(server, { plan_id: plan.plan_id, dry_run: false, allow_destructive: true });
    for (const line of result.actions) expect(line).toMatchObject({ result: 'skipped', reason: expect.stringMatching(/no longer holds/) });
    expect(await stores.objects.head('bob/arriving.txt')).not.toBeNull();
    expect(await stores.vectors.count({ fileId: 'arriving-vectors' })).toBe(2);
  });

  it('executing a saved plan does only what it listed', async () => {
    server = await startTestServer();
    const { stores } = server;
    await seedFile(stores, { userId: 'carol', fileId: 'first' });
    await stores.vectors.deleteByFileId('first');
    await analyze(server);
    const plan = await fix(server, { user_id: 'carol' });
    expect(plan.actions).toHaveLength(1);

    await seedFile(stores, { userId: 'carol', fileId: 'second' });
    await stores.vectors.deleteByFileId('second');
    await stores.objects.put('carol/later-orphan', Buffer.from('x'));
    await analyze(server);
    expect(await openIssues(server, 'user_id=carol')).toHaveLength(3);

    const result = await fix(server, { plan_id: plan.plan_id, dry_run: false, allow_destructive: true });
    expect(result.plan_id).toBe(plan.plan_id);
    expect(result.actions).toEqual([expect.objectContaining({ issue_id: plan.actions[0].issue_id, result: 'done' })]);
    expect(await stores.vectors.count({ fileId: 'first' })).toBeGreaterThan(0);
    expect(await stores.vectors.count({ fileId: 'second' })).toBe(0);
    expect(await stores.objects.head('carol/later-orphan')).not.toBeNull();
    expect((await openIssues(server, 'user_id=carol')).map((i) => i.type).sort()).toEqual(['missing_vectors', 'orphan_object']);
  });

  it('the circuit breaker stops a plan that would quarantine most of a bucket', async () => {
    server = await startTestServer({ SYNC_MAX_DELETE_MIN: '5' });
    const { stores } = server;
    await seedFile(stores, { userId: 'dora', fileId: 'kept-1' });
    await seedFile(stores, { userId: 'dora', fileId: 'kept-2' });
    // As if the metadata collection had been emptied: twenty objects nobody refers to.
    for (let i = 0; i < 20; i++) await stores.objects.put(`dora/lost-${i}.txt`, Buffer.from(`bytes ${i}`));
    await analyze(server);

    const plan = await fix(server, {});
    expect(plan.summary.planned).toBe(20);
    expect(plan.circuit_breaker).toMatchObject({ tripped: true, stores: [{ store: 's3', removes: 20, total: 22, tripped: true }] });
    expect(plan.message).toMatch(/would be refused/);

    const refused = await request(server.url).post('/api/sync/fix').set(auth(server)).send({ plan_id: plan.plan_id, dry_run: false, allow_destructive: true });
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe('circuit_breaker');
    expect(refused.body.code).toBe('circuit_breaker');
    expect(refused.body.message).toMatch(/circuit breaker/);
    expect(refused.body.message).toMatch(/20 of 22 items/);
    expect(refused.body.message).toMatch(/force: true/);
    let left = 0;
    for await (const object of stores.objects.listObjects({ prefix: 'dora/lost-' })) left += object.key ? 1 : 0;
    expect(left).toBe(20);

    // Automatic repairs never force, even when asked to.
    await expect(
      server.app
        .get(RepairService, { strict: false })
        .fix({ selection: {}, planId: plan.plan_id, dryRun: false, allowDestructive: true, force: true, actor: 'schedule' }),
    ).rejects.toBeInstanceOf(CircuitBreakerTrippedError);

    // A person who checked the stores may force it.
    const forced = await fix(server, { plan_id: plan.plan_id, dry_run: false, allow_destructive: true, force: true });
    expect(forced.summary.done).toBe(20);
    left = 0;
    for await (const object of stores.objects.listObjects({ prefix: 'dora/lost-' })) left += object.key ? 1 : 0;
    expect(left).toBe(0);
  });

  it('refuses (409) issues found by a partial run, and a dry run says why', async () => {
    const qdrant = await startFaultyQdrant();
    try {
      server = await startTestServer({ QDRANT_URL: qdrant.url });
      const { stores } = server;
      await seedFile(stores, { userId: 'erin', fileId: 'unchecked' });
      await stores.objects.put('erin/orphan.bin', Buffer.from('maybe an orphan'));
      qdrant.failWhen(() => true);
      const issues = await analyze(server, true);
      expect(issues.map((i) => i.type).sort()).toEqual(['orphan_object', 'store_unavailable']);

      const plan = await fix(server, {});
      const lines = Object.fromEntries(plan.actions.map((a: ActionView) => [a.type, a]));
      expect(lines.store_unavailable).toMatchObject({
        action: 'none',
        result: 'skipped',
        reason: expect.stringMatching(/qdrant could not be read.*run the analysis again/),
      });
      expect(lines.orphan_object).toMatchObject({ result: 'skipped', reason: expect.stringMatching(/partial run/) });

      const refused = await request(server.url).post('/api/sync/fix').set(auth(server)).send({ dry_run: false, allow_destructive: true, force: true });
      expect(refused.status).toBe(409);
      expect(refused.body.reason).toBe('partial_run');
      expect(refused.body.code).toBe('partial_run');
      expect(refused.body.message).toMatch(/partial run/);
      const byPlan = await request(server.url).post('/api/sync/fix').set(auth(server)).send({ plan_id: plan.plan_id, dry_run: false, allow_destructive: true });
      expect(byPlan.status).toBe(409);
      expect(await stores.objects.head('erin/orphan.bin')).not.toBeNull();
    } finally {
      await qdrant.close();
    }
  });

  it('a store failing mid-repair leaves a failed, audited action; a later fix completes it', async () => {
    const qdrant = await startFaultyQdrant();
    try {
      server = await startTestServer({ QDRANT_URL: qdrant.url });
      const { stores } = server;
      await seedFile(stores, { userId: 'finn', fileId: 'a' }, 'the first file about oceans');
      await seedFile(stores, { userId: 'finn', fileId: 'b' }, 'the second file about mountains');
      await stores.vectors.deleteByFileId('a');
      await stores.vectors.deleteByFileId('b');
      await analyze(server);
      // Qdrant refuses every write of file b's points.
      qdrant.failWhen((method, path, body) => method === 'PUT' && path.includes('/points') && body.includes('"file_id":"b"'));
      const first = await fix(server, { user_id: 'finn', dry_run: false });
      const lines = Object.fromEntries(first.actions.map((a: ActionView) => [a.target, a]));
      expect(lines['qdrant:a'].result).toBe('done');
      expect(lines['qdrant:b']).toMatchObject({ result: 'failed', reason: expect.stringMatching(/qdrant unavailable/) });
      expect(first.summary).toEqual({ planned: 0, done: 1, skipped: 0, failed: 1 });
      const failed = (await trail(server, 'file_id=b')).find((e: { result: string }) => e.result === 'failed');
      expect(failed).toMatchObject({ action: 'reembed', repair_id: first.repair_id, error: expect.stringMatching(/qdrant unavailable/) });
      expect(await stores.vectors.count({ fileId: 'b' })).toBe(0);
      expect((await openIssues(server, 'user_id=finn')).map((i) => i.file_id)).toEqual(['b']);

      qdrant.failWhen(null);
      const second = await fix(server, { user_id: 'finn', dry_run: false });
      expect(second.actions).toEqual([expect.objectContaining({ target: 'qdrant:b', result: 'done' })]);
      expect(await stores.vectors.count({ fileId: 'b' })).toBeGreaterThan(0);
      expect(await openIssues(server, 'user_id=finn')).toEqual([]);
    } finally {
      await qdrant.close();
    }
  });

  it('a re-embed that fails after its upsert leaves the old points in place', async () => {
    const qdrant = await startFaultyQdrant();
    try {
      server = await startTestServer({ QDRANT_URL: qdrant.url });
      const { stores } = server;
      const stale = await seedFile(stores, { userId: 'gail', fileId: 'stale' }, 'a short text');
      const oldPoints = pointsFor(stale.record, ['one', 'two', 'three', 'four', 'five', 'six', 'seven'], { model: 'old-model', contentHash: 'a'.repeat(64) });
      await stores.vectors.upsert(oldPoints);
      const metadataBefore = await stores.metadata.getByFileId('stale');
      await analyze(server);
      // Let the new points be written, then fail every later read or delete of points.
      let upserted = false;
      qdrant.failWhen((method, path) => {
        if (method === 'PUT' && /\/points(\?|$)/.test(path)) {
          upserted = true;
          return false;
        }
        return upserted && method === 'POST' && /\/points\/(scroll|delete)/.test(path);
      });
      const first = await fix(server, { user_id: 'gail', dry_run: false });
      expect(first.actions).toEqual([expect.objectContaining({ action: 'reembed', result: 'failed' })]);
      expect(upserted).toBe(true);
      qdrant.failWhen(null);

      const points = await stores.vectors.getFilePoints('stale');
      // Chunk 0 was replaced by the new point; the old chunks 1..6 are all still there.
      expect(points.map((p) => p.id)).toEqual(oldPoints.map((p) => p.id));
      expect(points[0].contentHash).toBe(sha256Hex(stale.bytes));
      expect(points.slice(1).every((p) => p.contentHash === 'a'.repeat(64))).toBe(true);
      expect(await stores.metadata.getByFileId('stale')).toEqual(metadataBefore);
      expect((await openIssues(server, 'user_id=gail')).map((i) => i.type)).toEqual(['stale_vectors']);

      const second = await fix(server, { user_id: 'gail', dry_run: false });
      expect(second.actions).toEqual([expect.objectContaining({ result: 'done' })]);
      const rebuilt = await stores.vectors.getFilePoints('stale');
      expect(rebuilt).toHaveLength((await stores.metadata.getByFileId('stale'))!.embedding!.chunks);
      expect(rebuilt.every((p) => p.contentHash === sha256Hex(stale.bytes))).toBe(true);
    } finally {
      await qdrant.close();
    }
  });
});
