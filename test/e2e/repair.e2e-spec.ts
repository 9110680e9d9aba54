import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import request from 'supertest';
import { AppConfig } from '@storesync/config';
import { sha256Hex, SyncEvent } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { S3ObjectStore } from '@storesync/storage';
import { QuarantinePurgeHook } from '@storesync/scheduling';
import { factories, uniqueName } from '../support/factories';
import { pointsFor, seedFile } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

type Stores = TestServer['stores'];
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
  status: string;
}

const auth = (server: TestServer) => ({ Authorization: `Bearer ${server.token}` });
const today = () => new Date().toISOString().slice(0, 10);

async function analyze(server: TestServer): Promise<Issue[]> {
  const res = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({ deep: true });
  expect(res.status).toBe(200);
  expect(res.body.partial).toBe(false);
  return res.body.issues;
}

async function fix(server: TestServer, body: Record<string, unknown>, status = 200) {
  const res = await request(server.url).post('/api/sync/fix').set(auth(server)).send(body);
  if (res.status !== status) throw new Error(`fix answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const byType = (issues: Issue[], type: string) => issues.filter((i) => i.type === type);
const oneIssue = (issues: Issue[], type: string) => {
  const found = byType(issues, type);
  expect(found).toHaveLength(1);
  return found[0];
};

async function objectBytes(stores: Stores, key: string): Promise<Buffer | null> {
  if (!(await stores.objects.head(key))) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of await stores.objects.getStream(key)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Every store's full contents, comparable with toEqual. */
async function snapshot(stores: Stores) {
  const files: unknown[] = [];
  for await (const record of stores.metadata.streamFiles()) files.push(record);
  const objects: unknown[] = [];
  for await (const object of stores.objects.listObjects()) {
    objects.push({ key: object.key, size: object.size, sha256: sha256Hex((await objectBytes(stores, object.key))!) });
  }
  const points: unknown[] = [];
  for await (const page of stores.vectors.scrollPointRefs()) points.push(...page);
  const issues = [
    ...(await stores.state.collection<{ id: string }>('sync_issues').find({}, { sortBy: 'id' })),
    ...(await stores.state.collection<{ id: string }>('sync_issues_resolved').find({}, { sortBy: 'id' })),
  ];
  return { files, objects, points: points.sort((a, b) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1)), issues };
}

function s3Admin(): S3Client {
  return new S3Client({
    endpoint: process.env.S3_ENDPOINT,
    region: process.env.S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: process.env.S3_ACCESS_KEY_ID!, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY! },
  });
}

async function enableVersioning(server: TestServer): Promise<void> {
  const client = s3Admin();
  try {
    const bucket = server.app.get(AppConfig).s3Bucket;
    await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  } finally {
    client.destroy();
  }
}

function captureEvents(server: TestServer) {
  const events: SyncEvent[] = [];
  const publisher = server.app.get(EventPublisher);
  const listener = (event: SyncEvent) => events.push(event);
  const stops = [publisher.on('repair.action', listener), publisher.on('sync.issue.resolved', listener)];
  return { events, stop: () => stops.forEach((stop) => stop()) };
}

/** Plants one issue of every repairable type; returns what each test reads back. */
async function plantEverything(stores: Stores) {
  const noVectors = await seedFile(stores, { userId: 'alice', fileId: 'no-vectors' }, 'alice wrote a note about vector stores and what they keep');
  await stores.vectors.deleteByFileId('no-vectors');
  const stale = await seedFile(stores, { userId: 'alice', fileId: 'stale' }, 'a short text');
  await stores.vectors.upsert(
    pointsFor(stale.record, ['one', 'two', 'three', 'four', 'five', 'six', 'seven'], { model: 'old-model', contentHash: 'a'.repeat(64) }),
  );
  const ghost = factories.file({ fileId: 'ghost', userId: 'carol', sha256: 'f'.repeat(64) });
  await stores.vectors.upsert(pointsFor(ghost, ['boo', 'hoo']));
  await stores.objects.put('carol/orphan.bin', Buffer.from('nobody owns me'));
  const halfDeleted = await seedFile(stores, { userId: 'carol', fileId: 'half-deleted' });
  await stores.metadata.markInactive('half-deleted', new Date(Date.now() - 60_000));
  const wrongSize = await seedFile(stores, { userId: 'bob', fileId: 'wrong-size' });
  await stores.metadata.updateSize('wrong-size', wrongSize.bytes.length + 5);
  return { noVectors, stale, ghost, halfDeleted, wrongSize };
}

describe('repair on the real stack', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  it('a dry run lists every action with what it touches and changes no store', async () => {
    const { stores } = server;
    await plantEverything(stores);
    const issues = await analyze(server);
    const before = await snapshot(stores);

    const plan = await fix(server, {});
    expect(plan.dry_run).toBe(true);
    expect(plan.plan_id).toEqual(expect.any(String));
    expect(plan.repair_id).toEqual(expect.any(String));
    const lines = Object.fromEntries(plan.actions.map((a: ActionView) => [`${a.type}:${a.action}`, a]));
    expect(Object.keys(lines).sort()).toEqual([
      'deletion_incomplete:finish_deletion',
      'missing_vectors:reembed',
      'orphan_object:quarantine_object',
      'orphan_vectors:delete_vectors',
      'size_mismatch:fix_size',
      'stale_vectors:reembed',
    ]);
    for (const line of plan.actions) expect(line.result).toBe('planned');
    expect(lines['orphan_object:quarantine_object']).toMatchObject({ destructive: true, target: 's3:carol/orphan.bin' });
    expect(lines['orphan_vectors:delete_vectors']).toMatchObject({ destructive: true, target: 'qdrant:ghost' });
    expect(lines['deletion_incomplete:finish_deletion'].destructive).toBe(true);
    expect(lines['missing_vectors:reembed']).toMatchObject({ destructive: false, target: 'qdrant:no-vectors' });
    expect(lines['size_mismatch:fix_size']).toMatchObject({ destructive: false, target: 'mongodb:wrong-size' });
    expect(plan.summary).toEqual({ planned: 6, done: 0, skipped: 0, failed: 0 });
    expect(plan.circuit_breaker.tripped).toBe(false);

    // An explicit dry run with every flag set changes nothing either.
    const explicit = await fix(server, { dry_run: true, allow_destructive: true, force: true });
    expect(explicit.summary.planned).toBe(6);
    expect(await snapshot(stores)).toEqual(before);
    expect(issues).toHaveLength(6);

    const trail = await request(server.url).get(`/api/sync/actions?repair_id=${plan.repair_id}`).set(auth(server)).expect(200);
    expect(trail.body.actions).toHaveLength(6);
    for (const entry of trail.body.actions) {
      expect(entry).toMatchObject({ repair_id: plan.repair_id, plan_id: plan.plan_id, dry_run: true, result: 'planned', actor: 'api' });
      expect(entry.at).toEqual(expect.any(String));
    }
  });

  it('executes each action, the stores show it, the audit trail and events record it, and a second fix does nothing', async () => {
    const { stores } = server;
    const planted = await plantEverything(stores);
    const issues = await analyze(server);
    const capture = captureEvents(server);
    const result = await fix(server, { dry_run: false, allow_destructive: true });
    capture.stop();
    expect(result.dry_run).toBe(false);
    expect(result.summary).toEqual({ planned: 0, done: 6, skipped: 0, failed: 0 });
    for (const line of result.actions) expect(line.result).toBe('done');

    // reembed (missing_vectors): points again, made from the object's bytes.
    const rebuilt = await stores.vectors.getFilePoints('no-vectors');
    expect(rebuilt.length).toBeGreaterThan(0);
    expect(new Set(rebuilt.map((p) => p.contentHash))).toEqual(new Set([planted.noVectors.record.sha256]));
    expect((await stores.metadata.getByFileId('no-vectors'))!.embedding).toMatchObject({
      chunks: rebuilt.length,
      contentHash: planted.noVectors.record.sha256,
    });
    // reembed (stale_vectors): the seven old points are replaced.
    const replaced = await stores.vectors.getFilePoints('stale');
    const staleMeta = (await stores.metadata.getByFileId('stale'))!;
    expect(replaced).toHaveLength(staleMeta.embedding!.chunks);
    expect(replaced.length).toBeLessThan(7);
    expect(replaced.every((p) => p.contentHash === planted.stale.record.sha256 && p.model !== 'old-model')).toBe(true);
    // delete_vectors (orphan_vectors)
    expect(await stores.vectors.count({ fileId: 'ghost' })).toBe(0);
    // quarantine_object (orphan_object): moved, bytes intact.
    expect(await stores.objects.head('carol/orphan.bin')).toBeNull();
    expect((await objectBytes(stores, `quarantine/${today()}/carol/orphan.bin`))!.toString()).toBe('nobody owns me');
    // finish_deletion: object quarantined, points gone, deleted_at set, metadata kept (soft).
    const deleted = (await stores.metadata.getByFileId('half-deleted'))!;
    expect(deleted.isActive).toBe(false);
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    expect(await stores.objects.head(planted.halfDeleted.record.fileKey)).toBeNull();
    expect(await objectBytes(stores, `quarantine/${today()}/${planted.halfDeleted.record.fileKey}`)).toEqual(planted.halfDeleted.bytes);
    expect(await stores.vectors.count({ fileId: 'half-deleted' })).toBe(0);
    // fix_size
    expect((await stores.metadata.getByFileId('wrong-size'))!.fileSize).toBe(planted.wrongSize.bytes.length);

    // Every issue resolved, and an analysis finds nothing left.
    const open = await request(server.url).get('/api/sync/issues?status=open').set(auth(server)).expect(200);
    expect(open.body.issues).toEqual([]);
    expect(await analyze(server)).toEqual([]);

    // Audit: each executed action with before/after; events for each action and resolution.
    const trail = await request(server.url).get(`/api/sync/actions?repair_id=${result.repair_id}`).set(auth(server)).expect(200);
    const executed = trail.body.actions.filter((a: { dry_run: boolean; result: string }) => a.result === 'done');
    expect(executed).toHaveLength(6);
    const sizeEntry = executed.find((a: { action: string }) => a.action === 'fix_size');
    expect(sizeEntry).toMatchObject({
      issue_id: oneIssue(issues, 'size_mismatch').id,
      file_id: 'wrong-size',
      user_id: 'bob',
      before: { file_size: planted.wrongSize.bytes.length + 5 },
      after: { file_size: planted.wrongSize.bytes.length },
      error: null,
      actor: 'api',
    });
    expect(sizeEntry.run_id).toEqual(expect.any(String));
    const quarantineEntry = executed.find((a: { action: string }) => a.action === 'quarantine_object');
    expect(quarantineEntry.after).toEqual({ object: null, quarantined_key: `quarantine/${today()}/carol/orphan.bin`, verified: true });
    const byFile = await request(server.url).get('/api/sync/actions?file_id=ghost').set(auth(server)).expect(200);
    expect(byFile.body.actions.map((a: { result: string }) => a.result).sort()).toEqual(['done', 'planned']);
    const byUser = await request(server.url).get('/api/sync/actions?user_id=bob').set(auth(server)).expect(200);
    expect(byUser.body.actions.every((a: { user_id: string }) => a.user_id === 'bob')).toBe(true);

    const actionEvents = capture.events.filter((e) => e.type === 'repair.action');
    expect(actionEvents.filter((e) => (e.data as { result?: string }).result === 'planned')).toHaveLength(6);
    expect(actionEvents.filter((e) => (e.data as { result?: string }).result === 'done')).toHaveLength(6);
    const resolved = capture.events.filter((e) => e.type === 'sync.issue.resolved');
    expect(resolved.map((e) => (e.data as { issue_id: string }).issue_id).sort()).toEqual(issues.map((i) => i.id).sort());

    // Idempotent: a second fix right after finds nothing, and says so.
    const after = await snapshot(stores);
    const again = await fix(server, { dry_run: false, allow_destructive: true });
    expect(again.actions).toEqual([]);
    expect(again.message).toMatch(/nothing to fix/);
    const replay = await fix(server, { plan_id: result.plan_id, dry_run: false, allow_destructive: true });
    expect(replay.summary).toEqual({ planned: 0, done: 0, skipped: 6, failed: 0 });
    for (const line of replay.actions) expect(line.reason).toMatch(/earlier execution of this plan/);
    expect(await snapshot(stores)).toEqual(after);
  });

  it('restores a missing or corrupted object from the newest matching S3 version', async () => {
    const { stores } = server;
    await enableVersioning(server);
    const missing = await seedFile(stores, { userId: 'dan', fileId: 'gone' }, 'the bytes that went missing');
    await stores.objects.delete(missing.record.fileKey);
    const corrupt = await seedFile(stores, { userId: 'dan', fileId: 'corrupt' }, 'the original bytes');
    await stores.objects.put(corrupt.record.fileKey, Buffer.from('the tampered bytes'));
    const issues = await analyze(server);
    expect(issues.map((i) => i.type).sort()).toEqual(['checksum_mismatch', 'missing_object']);

    const result = await fix(server, { user_id: 'dan', dry_run: false });
    expect(result.actions.map((a: ActionView) => [a.type, a.action, a.destructive, a.result]).sort()).toEqual([
      ['checksum_mismatch', 'restore_object', false, 'done'],
      ['missing_object', 'restore_object', false, 'done'],
    ]);
    expect(await objectBytes(stores, missing.record.fileKey)).toEqual(missing.bytes);
    expect(await objectBytes(stores, corrupt.record.fileKey)).toEqual(corrupt.bytes);
    // The tampered bytes are not lost: they stay an earlier version.
    const versions = await stores.objects.listVersions(corrupt.record.fileKey);
    expect(versions.filter((v) => !v.isDeleteMarker).map((v) => v.size)).toContain(Buffer.byteLength('the tampered bytes'));
    expect(await analyze(server)).toEqual([]);
  });

  it('skips a restore with "no backup" when no version or backup copy matches, and changes nothing', async () => {
    const { stores } = server;
    const corrupt = await seedFile(stores, { userId: 'erin', fileId: 'corrupt' }, 'the original bytes');
    await stores.objects.put(corrupt.record.fileKey, Buffer.from('the tampered bytes'));
    const wrong = await seedFile(stores, { userId: 'erin', fileId: 'wrong-bytes-and-size' }, 'short');
    await stores.objects.put(wrong.record.fileKey, Buffer.from('longer, different bytes'));
    await analyze(server);
    const before = await snapshot(stores);
    const plan = await fix(server, { user_id: 'erin' });
    const lines = Object.fromEntries(plan.actions.map((a: ActionView) => [a.type, a]));
    expect(lines.checksum_mismatch).toMatchObject({ action: 'restore_object', result: 'skipped', reason: expect.stringMatching(/^no backup/) });
    // Size differs and the bytes do not match the sha256 either: a restore, not a size fix.
    expect(lines.size_mismatch).toMatchObject({ action: 'restore_object', result: 'skipped', reason: expect.stringMatching(/^no backup/) });
    const result = await fix(server, { plan_id: plan.plan_id, dry_run: false });
    expect(result.summary).toMatchObject({ done: 0, skipped: plan.actions.length });
    expect(result.message).toMatch(/nothing was changed/);
    expect((await snapshot(stores)).objects).toEqual(before.objects);
    const open = await request(server.url).get('/api/sync/issues?status=open&user_id=erin').set(auth(server)).expect(200);
    expect(open.body.issues.length).toBe(plan.actions.length);
  });

  it('quarantine: restore puts an object back, never over another, and the purge removes only expired ones', async () => {
    const { stores } = server;
    await stores.objects.put('frank/stray.txt', Buffer.from('stray bytes'));
    await analyze(server);
    await fix(server, { types: ['orphan_object'], dry_run: false, allow_destructive: true });
    const quarantined = `quarantine/${today()}/frank/stray.txt`;
    expect(await stores.objects.head('frank/stray.txt')).toBeNull();

    const restored = await request(server.url).post('/api/sync/quarantine/restore').set(auth(server)).send({ key: quarantined }).expect(200);
    expect(restored.body).toEqual({ restored_key: 'frank/stray.txt' });
    expect((await objectBytes(stores, 'frank/stray.txt'))!.toString()).toBe('stray bytes');
    expect(await stores.objects.head(quarantined)).toBeNull();
    const unknown = await request(server.url).post('/api/sync/quarantine/restore').set(auth(server)).send({ key: quarantined }).expect(404);
    expect(unknown.body.code).toBe('not_found');
    const outside = await request(server.url).post('/api/sync/quarantine/restore').set(auth(server)).send({ key: 'frank/stray.txt' }).expect(400);
    expect(outside.body).toMatchObject({ code: 'validation_failed', fields: [{ field: 'key' }] });
    await request(server.url).post('/api/sync/quarantine/restore').set(auth(server)).send({}).expect(400);
    // Never overwrites what is at the original key now.
    await stores.objects.put(quarantined, Buffer.from('older copy'));
    const clash = await request(server.url).post('/api/sync/quarantine/restore').set(auth(server)).send({ key: quarantined }).expect(409);
    expect(clash.body).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already exists/) });
    expect((await objectBytes(stores, 'frank/stray.txt'))!.toString()).toBe('stray bytes');
    const trail = await request(server.url).get('/api/sync/actions?user_id=frank').set(auth(server)).expect(200);
    expect(trail.body.actions.map((a: { action: string }) => a.action)).toContain('restore_quarantined');

    // The daily purge, through the scheduler's hook.
    await stores.objects.put('quarantine/2020-01-01/frank/ancient.txt', Buffer.from('old'));
    const hook = server.app.get(QuarantinePurgeHook, { strict: false });
    expect(hook.configured).toBe(true);
    const now = await hook.run(new Date());
    // Both were written just now: their own age keeps them even though one key says 2020.
    expect(now).toMatchObject({ deleted: 0, kept: 2 });
    const later = await hook.run(new Date(Date.now() + 9 * 24 * 3600_000));
    expect(later).toMatchObject({ deleted: 2, kept: 0 });
    expect(await stores.objects.head(quarantined)).toBeNull();
    expect(await stores.objects.head('frank/stray.txt')).not.toBeNull();
    const purged = await request(server.url)
      .get(`/api/sync/actions?repair_id=${(later as { repair_id: string }).repair_id}`)
      .set(auth(server))
      .expect(200);
    expect(purged.body.actions.map((a: { action: string; file_key: string }) => `${a.action}:${a.file_key}`).sort()).toEqual([
      'purge_quarantined:quarantine/2020-01-01/frank/ancient.txt',
      `purge_quarantined:${quarantined}`,
    ]);
  });

  it('answers 400 naming bad fields', async () => {
    const res = await request(server.url)
      .post('/api/sync/fix')
      .set(auth(server))
      .send({ types: ['missing_object', 'nonsense'], dry_run: 'yes', user_ids: ['ok', 'not ok!'], plan_id: 'x', extra: 1 })
      .expect(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['types', 'dry_run', 'user_ids', 'plan_id', 'extra']));
    await request(server.url).post('/api/sync/fix').send({}).expect(401);
    const unknownPlan = await request(server.url)
      .post('/api/sync/fix')
      .set(auth(server))
      .send({ plan_id: '00000000-0000-4000-8000-000000000000', dry_run: false })
      .expect(404);
    expect(unknownPlan.body.message).toMatch(/plan/);
    await request(server.url).get('/api/sync/actions?limit=0').set(auth(server)).expect(400);
  });
});

describe('repair from BACKUP_BUCKET', () => {
  const backupBucket = uniqueName('backup');
  let backup: S3ObjectStore;
  let server: TestServer;
  beforeAll(async () => {
    backup = new S3ObjectStore({
      endpoint: process.env.S3_ENDPOINT!,
      bucket: backupBucket,
      region: process.env.S3_REGION ?? 'us-east-1',
      accessKeyId: process.env.S3_ACCESS_KEY_ID,
      secretAccessKey: process.env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: true,
      timeoutMs: 3000,
    });
    await backup.init();
    server = await startTestServer({ BACKUP_BUCKET: backupBucket });
  });
  afterAll(async () => {
    await server.close();
    await backup.close();
  });

  it('restores a missing object, and keeps the corrupted bytes in quarantine before overwriting them', async () => {
    const { stores } = server;
    const missing = await seedFile(stores, { userId: 'gus', fileId: 'gone' }, 'kept safe in the backup');
    await backup.put(missing.record.fileKey, missing.bytes);
    await stores.objects.delete(missing.record.fileKey);
    const corrupt = await seedFile(stores, { userId: 'gus', fileId: 'corrupt' }, 'the original bytes');
    await backup.put(corrupt.record.fileKey, corrupt.bytes);
    await stores.objects.put(corrupt.record.fileKey, Buffer.from('the tampered bytes'));
    const noCopy = await seedFile(stores, { userId: 'gus', fileId: 'no-copy' });
    await backup.put(noCopy.record.fileKey, Buffer.from('a different file'));
    await stores.objects.delete(noCopy.record.fileKey);
    await analyze(server);

    const result = await fix(server, { user_id: 'gus', dry_run: false });
    const lines = Object.fromEntries(result.actions.map((a: ActionView) => [a.target, a]));
    expect(lines[`s3:${missing.record.fileKey}`].result).toBe('done');
    expect(lines[`s3:${corrupt.record.fileKey}`].result).toBe('done');
    expect(lines[`s3:${noCopy.record.fileKey}`]).toMatchObject({ result: 'skipped', reason: expect.stringMatching(/^no backup/) });
    expect(await objectBytes(stores, missing.record.fileKey)).toEqual(missing.bytes);
    expect(await objectBytes(stores, corrupt.record.fileKey)).toEqual(corrupt.bytes);
    expect((await objectBytes(stores, `quarantine/${today()}/${corrupt.record.fileKey}`))!.toString()).toBe('the tampered bytes');
    const trail = await request(server.url).get(`/api/sync/actions?repair_id=${result.repair_id}&file_id=corrupt`).set(auth(server)).expect(200);
    expect(trail.body.actions[0].after).toMatchObject({ source: 'backup', kept_previous_at: `quarantine/${today()}/${corrupt.record.fileKey}` });
  });
});

describe('repair on the embedded stores', () => {
  let server: TestServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-repair-'));
    server = await startTestServer({ MONGODB_URI: '', S3_ENDPOINT: '', QDRANT_URL: '', DATA_DIR: dataDir, BACKUP_BUCKET: 'local-backup' });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('repairs every plantable issue with the local adapters, versions and backup bucket', async () => {
    const { stores } = server;
    expect(stores.objects.kind).toBe('local');
    await plantEverything(stores);
    const gone = await seedFile(stores, { userId: 'hal', fileId: 'gone' }, 'restored from a local version');
    await stores.objects.delete(gone.record.fileKey);
    const corrupt = await seedFile(stores, { userId: 'hal', fileId: 'corrupt' }, 'the original bytes');
    await stores.objects.put(corrupt.record.fileKey, Buffer.from('the tampered bytes'));
    expect((await analyze(server)).length).toBe(8);

    const result = await fix(server, { dry_run: false, allow_destructive: true });
    expect(result.summary).toEqual({ planned: 0, done: 8, skipped: 0, failed: 0 });
    expect(await objectBytes(stores, gone.record.fileKey)).toEqual(gone.bytes);
    expect(await objectBytes(stores, corrupt.record.fileKey)).toEqual(corrupt.bytes);
    expect(await analyze(server)).toEqual([]);
  });
});
