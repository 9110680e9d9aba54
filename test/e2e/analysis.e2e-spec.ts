import request from 'supertest';
import { pointId } from '@storesync/core';
import { QdrantVectorStore } from '@storesync/storage';
import { startQdrantStandin } from '../support/qdrant-standin';
import { freePort } from '../support/stack';
import { factories } from '../support/factories';
import { pointsFor, seedFile } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

const auth = (server: TestServer) => ({ Authorization: `Bearer ${server.token}` });

async function analyze(server: TestServer, body: Record<string, unknown> = {}) {
  const res = await request(server.url).post('/api/sync/analyze').set(auth(server)).send(body);
  expect(res.status).toBe(200);
  return res.body;
}

const issueKeys = (body: { issues: { type: string; file_id?: string; file_key?: string }[] }) =>
  body.issues.map((i) => `${i.type}:${i.file_id ?? i.file_key}`).sort();

describe('analysis over HTTP on the real stack', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  it('calls a consistent store set all synced', async () => {
    for (let i = 0; i < 5; i++) await seedFile(server.stores, { userId: 'alice' });
    const body = await analyze(server);
    expect(body.partial).toBe(false);
    expect(body.summary).toMatchObject({ total_files: 5, synced: 5, out_of_sync: 0, missing: 0, error: 0 });
    expect(body.issues).toEqual([]);
    expect(body.stores.mongodb).toMatchObject({ ok: true, count: 5 });
    expect(body.stores.s3).toMatchObject({ ok: true, count: 5 });
    expect(body.stores.qdrant.ok).toBe(true);
  });

  it('finds every issue type planted directly in the stores', async () => {
    const { stores } = server;
    const ok = await seedFile(stores, { userId: 'alice', fileId: 'ok' });
    const noObject = await seedFile(stores, { userId: 'alice', fileId: 'no-object' });
    await stores.objects.delete(noObject.record.fileKey);
    await seedFile(stores, { userId: 'alice', fileId: 'no-vectors' });
    await stores.vectors.deleteByFileId('no-vectors');
    const wrongSize = await seedFile(stores, { userId: 'bob', fileId: 'wrong-size' });
    await stores.metadata.updateSize('wrong-size', wrongSize.bytes.length + 5);
    const corrupt = await seedFile(stores, { userId: 'bob', fileId: 'corrupt' }, 'the original bytes');
    // Same length, other bytes: only a deep check can tell.
    await stores.objects.put(corrupt.record.fileKey, Buffer.from('the tampered bytes'));
    const stale = await seedFile(stores, { userId: 'bob', fileId: 'stale' });
    await stores.vectors.upsert(pointsFor(stale.record, ['one', 'two', 'three', 'four', 'five', 'six', 'seven'], { model: 'old-model' }));
    await stores.objects.put('carol/orphan.bin', Buffer.from('nobody owns me'));
    await stores.vectors.upsert(pointsFor(factories.file({ fileId: 'ghost', userId: 'carol', sha256: 'f'.repeat(64) }), ['boo']));
    const deleting = await seedFile(stores, { userId: 'carol', fileId: 'half-deleted' });
    await stores.metadata.markInactive('half-deleted', new Date(Date.now() - 60_000));

    const body = await analyze(server, { deep: true });
    expect(body.partial).toBe(false);
    expect(issueKeys(body)).toEqual([
      'checksum_mismatch:corrupt',
      'deletion_incomplete:half-deleted',
      'missing_object:no-object',
      'missing_vectors:no-vectors',
      'orphan_object:carol/orphan.bin',
      'orphan_vectors:ghost',
      'size_mismatch:wrong-size',
      'stale_vectors:stale',
    ]);
    expect(body.summary).toMatchObject({ total_files: 7, synced: 1, missing: 2, out_of_sync: 4, error: 0 });
    expect(body.summary.issues_by_type).toMatchObject({ orphan_object: 1, orphan_vectors: 1, stale_vectors: 1 });
    const staleIssue = body.issues.find((i: { type: string }) => i.type === 'stale_vectors');
    expect(staleIssue.details.reasons).toEqual(expect.arrayContaining(['point_count', 'model']));
    for (const issue of body.issues) expect(issue.suggested_action.length).toBeGreaterThan(20);
    expect(ok.record.fileId).toBe('ok');
    expect(deleting.record.isActive).toBe(true);

    const status = await request(server.url).get('/api/sync/status/alice').set(auth(server)).expect(200);
    const byId = Object.fromEntries(status.body.files.map((f: { file_id: string }) => [f.file_id, f]));
    expect(byId['ok']).toMatchObject({ status: 'synced', stores: { mongodb: true, s3: true, qdrant: true } });
    expect(byId['no-object']).toMatchObject({ status: 'missing', stores: { s3: false } });
    expect(byId['no-vectors']).toMatchObject({ status: 'missing', stores: { qdrant: false } });
    expect(byId['no-vectors'].issues[0].suggested_action).toMatch(/Re-embed/);
    expect(status.body.summary).toMatchObject({ total_files: 3, synced: 1, missing: 2 });
  });

  it('keeps an issue id across runs and resolves what is no longer found', async () => {
    const a = await seedFile(server.stores, { fileId: 'a' });
    await seedFile(server.stores, { fileId: 'b' });
    await server.stores.vectors.deleteByFileId('a');
    await server.stores.objects.delete((await server.stores.metadata.getByFileId('b'))!.fileKey);
    await seedFile(server.stores, { fileId: 'c' });
    await server.stores.metadata.updateSize('c', 1);
    const first = await analyze(server);
    expect(issueKeys(first)).toEqual(['missing_object:b', 'missing_vectors:a', 'size_mismatch:c']);
    await server.stores.vectors.upsert(a.points);
    // Found again with other details: the same issue, its details brought up to date.
    await server.stores.metadata.updateSize('c', 2);
    const second = await analyze(server);
    expect(issueKeys(second)).toEqual(['missing_object:b', 'size_mismatch:c']);
    const sizeBefore = first.issues.find((i: { type: string }) => i.type === 'size_mismatch');
    const sizeAfter = second.issues.find((i: { type: string }) => i.type === 'size_mismatch');
    expect(sizeAfter).toMatchObject({ id: sizeBefore.id, details: { metadata_size: 2 } });
    expect(sizeBefore.details.metadata_size).toBe(1);
    const before = first.issues.find((i: { type: string }) => i.type === 'missing_object');
    const after = second.issues.find((i: { type: string }) => i.type === 'missing_object');
    expect(after.id).toBe(before.id);
    expect(after.first_detected_at).toBe(before.first_detected_at);
    expect(Date.parse(after.last_seen_at)).toBeGreaterThan(Date.parse(before.last_seen_at));
    const resolved = await request(server.url).get('/api/sync/issues?status=resolved').set(auth(server)).expect(200);
    expect(resolved.body.issues).toHaveLength(1);
    expect(resolved.body.issues[0]).toMatchObject({ type: 'missing_vectors', file_id: 'a', status: 'resolved' });
    expect(resolved.body.issues[0].resolved_at).toEqual(expect.any(String));
  });

  it('closes a second open issue for the same finding and keeps the first', async () => {
    await seedFile(server.stores, { fileId: 'twice' });
    await server.stores.vectors.deleteByFileId('twice');
    const first = await analyze(server);
    const original = first.issues[0];
    // A single-file check and a full run recording the same finding at once leave two.
    const issues = server.stores.state.collection<{ id: string; first_detected_at: string; last_seen_at: string }>('sync_issues');
    const stored = (await issues.get(original.id))!;
    const later = new Date(Date.parse(stored.first_detected_at) + 1000).toISOString();
    await issues.insert({ ...stored, id: 'duplicate-of-twice', first_detected_at: later, last_seen_at: later });

    const second = await analyze(server);
    expect(second.issues.map((i: { id: string }) => i.id)).toEqual([original.id]);
    const duplicate = await request(server.url).get('/api/sync/issues?status=resolved').set(auth(server)).expect(200);
    expect(duplicate.body.issues).toHaveLength(1);
    expect(duplicate.body.issues[0]).toMatchObject({ id: 'duplicate-of-twice', status: 'resolved' });
    expect(duplicate.body.issues[0].resolution).toMatch(/duplicate/);
    const open = await request(server.url).get('/api/sync/issues?status=open').set(auth(server)).expect(200);
    expect(open.body.issues.map((i: { id: string }) => i.id)).toEqual([original.id]);
  });

  it('scopes a run to one user', async () => {
    const alice = await seedFile(server.stores, { userId: 'alice', fileId: 'alice-file' });
    const bob = await seedFile(server.stores, { userId: 'bob', fileId: 'bob-file' });
    await server.stores.objects.delete(alice.record.fileKey);
    await server.stores.objects.delete(bob.record.fileKey);
    await server.stores.objects.put('bob/orphan', Buffer.from('x'));
    const body = await analyze(server, { user_id: 'alice' });
    expect(body.scope).toEqual({ user_id: 'alice' });
    expect(issueKeys(body)).toEqual(['missing_object:alice-file']);
    expect(body.summary.total_files).toBe(1);
  });

  it('joins keys whose UTF-16 and UTF-8 orders differ', async () => {
    const keys = ['u/a\u{1F600}.txt', 'u/a\uFF21.txt', 'u/a\uE000.txt', 'u/é.txt', 'u/z.txt'];
    for (const fileKey of keys) await seedFile(server.stores, { userId: 'u', fileKey });
    await server.stores.objects.put('u/a\u{1F601}-orphan', Buffer.from('x'));
    const body = await analyze(server);
    expect(body.summary).toMatchObject({ total_files: 5, synced: 5 });
    expect(issueKeys(body)).toEqual(['orphan_object:u/a\u{1F601}-orphan']);
  });

  it('asks S3 about keys a listing can leave out before calling them missing', async () => {
    const { stores } = server;
    // MinIO keeps "nest/a" and "nest/a/b" both, but lists only "nest/a".
    await seedFile(stores, { userId: 'nest', fileId: 'parent', fileKey: 'nest/a' });
    await seedFile(stores, { userId: 'nest', fileId: 'child', fileKey: 'nest/a/b' });
    const gone = await seedFile(stores, { userId: 'nest', fileId: 'gone-child', fileKey: 'nest/a/c' });
    await stores.objects.delete(gone.record.fileKey);
    // A user's record outside the user's folder: a user scan lists only "nest/".
    await seedFile(stores, { userId: 'nest', fileId: 'elsewhere', fileKey: 'shared/nest-report.txt' });
    // An object named like the folder: MinIO then lists nothing under "nest/".
    await seedFile(stores, { userId: 'nest', fileId: 'root', fileKey: 'nest' });
    for (const scope of [{}, { user_id: 'nest' }]) {
      const body = await analyze(server, scope);
      expect(issueKeys(body)).toEqual(['missing_object:gone-child']);
      expect(body.summary).toMatchObject({ total_files: 5, synced: 4, missing: 1 });
    }
  });

  it('answers 409 with the running run id for a second run of the same scope', async () => {
    for (let i = 0; i < 30; i++) await seedFile(server.stores, { userId: 'busy' });
    const first = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({ wait: false }).expect(202);
    const second = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({});
    expect(second.status).toBe(409);
    expect(second.body.run_id).toBe(first.body.run_id);
    expect(second.body.code).toBe('analysis_running');
    for (let i = 0; i < 100; i++) {
      const run = await request(server.url).get(`/api/sync/runs/${first.body.run_id}`).set(auth(server)).expect(200);
      if (run.body.state !== 'running') {
        expect(run.body.state).toBe('completed');
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('run did not finish');
  });

  it('refuses requests without the token, bad input and unknown users', async () => {
    await request(server.url).post('/api/sync/analyze').send({}).expect(401);
    await request(server.url).get('/api/sync/runs').set('Authorization', 'Bearer wrong-token').expect(401);
    const unknown = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({ user: 'x' }).expect(400);
    expect(unknown.body.message).toMatch(/user/);
    expect(unknown.body.stack).toBeUndefined();
    const badUser = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({ user_id: '../etc' }).expect(400);
    expect(badUser.body.fields[0].field).toBe('user_id');
    const badDeep = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({ deep: 'yes' }).expect(400);
    expect(badDeep.body.fields[0].field).toBe('deep');
    const badLimit = await request(server.url).get('/api/sync/issues?limit=0').set(auth(server)).expect(400);
    expect(badLimit.body.fields[0].field).toBe('limit');
    await request(server.url).get('/api/sync/issues?cursor=garbage').set(auth(server)).expect(400);
    await request(server.url).post('/api/sync/analyze').set(auth(server)).set('Content-Type', 'application/json').send('{"deep":').expect(400);
    await request(server.url)
      .post('/api/sync/analyze')
      .set(auth(server))
      .send({ user_id: 'x'.repeat(2_000_000) })
      .expect(413);
    const missing = await request(server.url).get('/api/sync/status/nobody').set(auth(server)).expect(404);
    expect(missing.body.message).toMatch(/nobody/);
    // A run id is a UUID: anything else is a bad parameter (400), a well-formed unknown one is not found (404).
    const malformed = await request(server.url).get('/api/sync/runs/no-such-run').set(auth(server)).expect(400);
    expect(malformed.body).toMatchObject({ code: 'invalid_param', fields: [{ field: 'run_id' }] });
    await request(server.url).get('/api/sync/runs/6f0c2a52-8d5c-4c8e-9a57-0b7b7d0e3c11').set(auth(server)).expect(404);
  });

  it('pages issues with a cursor and exports them as CSV', async () => {
    for (let i = 0; i < 5; i++) {
      const { record } = await seedFile(server.stores, { fileId: `f${i}` });
      await server.stores.vectors.deleteByFileId(record.fileId);
    }
    await analyze(server);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(server.url)
        .get('/api/sync/issues')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(auth(server))
        .expect(200);
      seen.push(...res.body.issues.map((i: { file_id: string }) => i.file_id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    const csv = await request(server.url).get('/api/sync/issues?format=csv').set(auth(server)).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^id,type,status,user_id,file_id/);
    expect(lines).toHaveLength(6);
  });
});

describe('analysis with a store down', () => {
  it('marks the run partial and the files error when Qdrant stops, never missing or orphaned', async () => {
    const qdrant = await startQdrantStandin();
    const server = await startTestServer({ QDRANT_URL: qdrant.url });
    try {
      await seedFile(server.stores, { fileId: 'kept' });
      await server.stores.objects.put('x/orphan-but-unknown', Buffer.from('?'));
      await qdrant.close();
      const body = await analyze(server);
      expect(body.partial).toBe(true);
      expect(body.state).toBe('partial');
      expect(body.stores.qdrant.ok).toBe(false);
      expect(body.reason).toMatch(/qdrant/);
      const types = body.issues.map((i: { type: string }) => i.type);
      expect(types).not.toContain('missing_vectors');
      expect(types).not.toContain('orphan_vectors');
      expect(types).toContain('store_unavailable');
      expect(body.summary).toMatchObject({ total_files: 1, error: 1, missing: 0 });
    } finally {
      await server.close();
    }
  });

  it('never calls objects missing when S3 is unreachable', async () => {
    const deadPort = await freePort();
    const healthy = await startTestServer();
    const { record } = await seedFile(healthy.stores, { fileId: 'f1' });
    await healthy.close();
    const server = await startTestServer({ S3_ENDPOINT: `http://127.0.0.1:${deadPort}`, STORE_TIMEOUT_MS: '500' });
    try {
      await server.stores.metadata.upsert(record);
      await server.stores.vectors.upsert(pointsFor(record, ['only chunk'], { id: pointId(record.fileId, 0) }));
      await server.stores.metadata.update(record.fileId, { embedding: { chunks: 1, model: 'hash-v1', contentHash: record.sha256! } });
      const body = await analyze(server);
      expect(body.partial).toBe(true);
      expect(body.stores.s3.ok).toBe(false);
      expect(body.issues.map((i: { type: string }) => i.type)).toEqual(['store_unavailable']);
      expect(body.summary).toMatchObject({ error: 1, missing: 0 });
      const health = await request(server.url).get('/api/health').expect(200);
      expect(health.body.stores.s3.ok).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('the grace window', () => {
  it('does not flag records or objects younger than SYNC_GRACE_SECONDS', async () => {
    const server = await startTestServer({ SYNC_GRACE_SECONDS: '300' });
    try {
      const now = new Date();
      await server.stores.metadata.upsert(factories.file({ fileId: 'uploading', createdAt: now, updatedAt: now }));
      await server.stores.objects.put('someone/just-uploaded.bin', Buffer.from('in flight'));
      const old = await seedFile(server.stores, { fileId: 'old' });
      await server.stores.objects.delete(old.record.fileKey);
      const body = await analyze(server);
      expect(issueKeys(body)).toEqual(['missing_object:old']);
    } finally {
      await server.close();
    }
  });
});

describe('SYNC_TIMEOUT', () => {
  it('stops a run that takes too long and saves it as partial with the reason', async () => {
    const http = await import('node:http');
    const upstream = new URL(process.env.QDRANT_URL!);
    // A Qdrant that answers, slowly: every request waits before it is forwarded.
    const slow = http.createServer((req, res) => {
      setTimeout(() => {
        const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forward.on('error', () => res.destroy());
        req.pipe(forward);
      }, 500);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const port = (slow.address() as { port: number }).port;
    const collection = `slow_${Date.now()}`;
    // Three scroll pages of 1,000 points, written straight to the real server.
    const direct = new QdrantVectorStore({ url: process.env.QDRANT_URL!, collection, timeoutMs: 5000 });
    await direct.init(256);
    for (let batch = 0; batch < 3; batch++) {
      const ghost = factories.file({ fileId: `ghost-${batch}`, sha256: 'a'.repeat(64) });
      await direct.upsert(
        pointsFor(
          ghost,
          Array.from({ length: 1000 }, (_, i) => `chunk ${i}`),
        ),
      );
    }
    await direct.close();
    const server = await startTestServer({ QDRANT_URL: `http://127.0.0.1:${port}`, QDRANT_COLLECTION: collection, SYNC_TIMEOUT: '1' });
    try {
      const body = await analyze(server);
      expect(body).toMatchObject({ state: 'partial', partial: true });
      expect(body.reason).toMatch(/SYNC_TIMEOUT=1s/);
      expect(body.issues.map((i: { type: string }) => i.type)).not.toContain('orphan_vectors');
    } finally {
      await server.close();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
