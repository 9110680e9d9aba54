import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import request from 'supertest';
import { pointId } from '@storesync/core';
import { StateStore } from '@storesync/storage';
import { factories } from '../support/factories';
import { pointsFor, seedFile } from '../support/seed';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';
import { freePort } from '../support/stack';

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'crash-test-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

interface Child {
  url: string;
  process: ChildProcess;
}

/** The built server (dist/apps/server/src/main.js) as its own process, on the test stack. */
async function startChild(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/apps/server/src/main.js'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', SYNC_API_TOKEN: TOKEN, LOG_LEVEL: 'error', SEED_DEMO: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ok = await request(url)
      .get('/api/health')
      .then(
        (res) => res.status < 500,
        () => false,
      );
    if (ok) return { url, process: child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

function running(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

async function kill(child: Child): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}

async function fixAll(child: Child, wait: boolean) {
  const res = await request(child.url)
    .post('/api/sync/fix')
    .set(auth)
    .send({ dry_run: false, allow_destructive: true, force: true, ...(wait ? {} : { wait: false }) });
  expect(res.status).toBe(wait ? 200 : 202);
  return res.body as { repair_id: string; summary?: { done: number; failed: number } };
}

async function analyze(child: Child) {
  const res = await request(child.url).post('/api/sync/analyze').set(auth).send({});
  expect(res.status).toBe(200);
  return res.body as { state: string; issues: { type: string }[] };
}

async function quarantined(server: TestServer): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  for await (const object of server.stores.objects.listObjects({ prefix: 'quarantine/' })) {
    const original = object.key.split('/').slice(2).join('/');
    copies.set(original, (copies.get(original) ?? 0) + 1);
  }
  return copies;
}

describe('repair survives SIGKILL of the server (crash-safe journal)', () => {
  const envFor = () => ({ ...isolatedStackEnv(), SYNC_GRACE_SECONDS: '0', REDIS_URL: '', SYNC_MAX_DELETE_MIN: '100000', STORE_TIMEOUT_MS: '5000' });
  let inspector: TestServer | undefined;
  let child: Child | undefined;

  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
  });
  afterEach(async () => {
    if (child) await kill(child);
    await inspector?.close();
    inspector = undefined;
  });

  it('killed at several points of an executing repair, restarted and repaired again: converges, nothing lost, nothing done twice, audit complete', async () => {
    const ORPHANS = 120;
    const env = envFor();
    inspector = await startTestServer(env);
    const { stores } = inspector;
    const healthy = await Promise.all(Array.from({ length: 5 }, (_, i) => seedFile(stores, { userId: 'kept', fileId: `kept-${i}` })));
    const orphanKeys = Array.from({ length: ORPHANS }, (_, i) => `crash/orphan-${String(i).padStart(3, '0')}.bin`);
    for (const key of orphanKeys) await stores.objects.put(key, Buffer.from(`orphan bytes of ${key}`));
    const ghost = pointsFor(factories.file({ userId: 'crash', fileId: 'ghost', sha256: 'f'.repeat(64) }), ['left behind'])[0];
    const ghostIds = Array.from({ length: ORPHANS }, (_, i) => `ghost-${i}`);
    await stores.vectors.upsert(ghostIds.map((fileId) => ({ ...ghost, id: pointId(fileId, 0), fileId })));

    const repairIds: string[] = [];
    // Kill points: while the first objects are being quarantined, a third of the way, two thirds (in the repairs after restarts).
    for (const moved of [1, 40, 80]) {
      child = await startChild(env);
      if (repairIds.length === 0) expect((await analyze(child)).state).toBe('completed');
      const started = await fixAll(child, false);
      repairIds.push(started.repair_id);
      for (let i = 0; i < 600 && [...(await quarantined(inspector)).keys()].length < moved; i++) await new Promise((r) => setTimeout(r, 25));
      await kill(child);
    }
    await inspector.close();
    inspector = undefined;
    // Restarted: the interrupted repairs are known, the next analysis works, a last repair completes everything.
    child = await startChild(env);
    for (const repairId of repairIds) {
      const progress = await request(child.url).get(`/api/sync/repairs/${repairId}`).set(auth).expect(200);
      expect(['interrupted', 'completed']).toContain(progress.body.state);
    }
    const between = await analyze(child);
    expect(between.state).toBe('completed');
    expect(between.issues.filter((i) => i.type === 'store_unavailable')).toEqual([]);
    const last = await fixAll(child, true);
    repairIds.push(last.repair_id);
    expect(last.summary!.failed).toBe(0);
    const final = await analyze(child);
    expect(final.state).toBe('completed');
    expect(final.issues).toEqual([]);
    await kill(child);

    inspector = await startTestServer(env);
    // Nothing lost: every vanished orphan is in quarantine, exactly once (never copied twice); the healthy files untouched.
    const copies = await quarantined(inspector);
    for (const key of orphanKeys) {
      expect(await inspector.stores.objects.head(key)).toBeNull();
      expect([key, copies.get(key)]).toEqual([key, 1]);
    }
    for (const file of healthy) {
      expect(await inspector.stores.objects.head(file.record.fileKey)).not.toBeNull();
      expect(await inspector.stores.vectors.count({ fileId: file.record.fileId })).toBe(file.points.length);
    }
    expect(await inspector.stores.vectors.count({ userId: 'crash' })).toBe(0);
    // Audit complete: every journalled action has its entry (done, skipped, failed or interrupted); none done twice.
    const state = inspector.app.get(StateStore);
    const journal = state.collection<{ id: string; repair_id: string; issue_id: string }>('sync_repair_journal');
    const audit = state.collection<{ id: string; repair_id: string; issue_id: string; result: string; dry_run: boolean }>('sync_actions');
    const entries: { repair_id: string; issue_id: string; result: string; dry_run: boolean }[] = [];
    for await (const entry of audit.stream({ dry_run: false })) entries.push(entry);
    let journalled = 0;
    for await (const started of journal.stream({})) {
      journalled += 1;
      expect(entries.some((e) => e.repair_id === started.repair_id && e.issue_id === started.issue_id)).toBe(true);
    }
    expect(journalled).toBeGreaterThanOrEqual(2 * ORPHANS);
    const doneByIssue = new Map<string, number>();
    for (const entry of entries) if (entry.result === 'done') doneByIssue.set(entry.issue_id, (doneByIssue.get(entry.issue_id) ?? 0) + 1);
    expect([...doneByIssue.values()].filter((n) => n > 1)).toEqual([]);
    // At least one kill landed while actions were under way.
    expect(entries.filter((e) => e.result === 'interrupted').length).toBeGreaterThan(0);
  }, 300_000);

  it('completes a quarantine whose copy was made before the crash but whose original was not deleted, reusing the journalled copy', async () => {
    const env = envFor();
    inspector = await startTestServer(env);
    const { stores } = inspector;
    const key = 'halfway/orphan.bin';
    await stores.objects.put(key, Buffer.from('copied but not yet deleted'));
    const analysis = await request(inspector.url)
      .post('/api/sync/analyze')
      .set({ Authorization: `Bearer ${inspector.token}` })
      .send({})
      .expect(200);
    const issue = analysis.body.issues.find((i: { type: string }) => i.type === 'orphan_object');
    // The state a SIGKILL between copy and delete leaves: journalled with its key (yesterday's), the copy made, the repair running.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const journalledKey = `quarantine/${yesterday}/${key}`;
    await stores.objects.copy(key, journalledKey);
    const state = inspector.app.get(StateStore);
    const repairId = '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
    await state.collection('sync_repairs').insert({
      id: repairId,
      plan_id: 'crashed-plan',
      state: 'running',
      actor: 'api',
      started_at: new Date().toISOString(),
      finished_at: null,
      total: 1,
      processed: 0,
      resumed: 0,
      summary: { planned: 0, done: 0, skipped: 0, failed: 0 },
      error: null,
    } as never);
    await state.collection('sync_repair_journal').insert({
      id: `${repairId}:${issue.id}`,
      repair_id: repairId,
      plan_id: 'crashed-plan',
      issue_id: issue.id,
      type: 'orphan_object',
      action: 'quarantine_object',
      target: `s3:${key}`,
      destructive: true,
      user_id: 'halfway',
      file_id: null,
      file_key: key,
      step: { quarantine_key: journalledKey },
      at: new Date().toISOString(),
    } as never);
    await inspector.close();
    inspector = undefined;

    child = await startChild(env);
    const trail = (await request(child.url).get(`/api/sync/actions?repair_id=${repairId}`).set(auth).expect(200)).body.actions;
    expect(trail).toEqual([
      expect.objectContaining({ issue_id: issue.id, result: 'interrupted', after: { journalled_step: { quarantine_key: journalledKey } } }),
    ]);
    expect((await request(child.url).get(`/api/sync/repairs/${repairId}`).set(auth).expect(200)).body.state).toBe('interrupted');
    const fixed = await fixAll(child, true);
    expect(fixed.summary).toMatchObject({ done: 1, failed: 0 });
    await kill(child);

    inspector = await startTestServer(env);
    expect(await inspector.stores.objects.head(key)).toBeNull();
    expect(await quarantined(inspector)).toEqual(new Map([[key, 1]]));
    expect(await inspector.stores.objects.head(journalledKey)).not.toBeNull();
  }, 120_000);
});
