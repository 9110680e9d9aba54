import request from 'supertest';
import type { RepairProgress } from '@storesync/contract';
import { StateStore } from '@storesync/storage';
import { FixSizeAction } from '../../libs/repair/src/actions/fix-size.action';
import { seedFile } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';
import { EventPublisher } from '@storesync/events';

const auth = (server: TestServer) => ({ Authorization: `Bearer ${server.token}` });

interface WireIssue {
  id: string;
  type: string;
  file_id?: string;
  file_key?: string;
  status: string;
  deferred: boolean;
  deferred_until?: string;
  last_seen_at: string;
  run_id: string;
  resolution?: string;
}

async function analyze(server: TestServer, body: Record<string, unknown> = {}): Promise<{ run_id: string; state: string; issues: WireIssue[] }> {
  const res = await request(server.url).post('/api/sync/analyze').set(auth(server)).send(body);
  expect(res.status).toBe(200);
  return res.body;
}

async function issues(server: TestServer, status: 'open' | 'resolved'): Promise<WireIssue[]> {
  return (await request(server.url).get(`/api/sync/issues?status=${status}&limit=1000`).set(auth(server)).expect(200)).body.issues;
}

async function fix(server: TestServer, body: Record<string, unknown>) {
  const res = await request(server.url).post('/api/sync/fix').set(auth(server)).send(body);
  expect(res.status).toBe(200);
  return res.body;
}

/** Counts the writes a run makes to the issue collections (open and resolved), by wrapping their write methods. */
function countIssueWrites(server: TestServer): { writes: () => number } {
  let writes = 0;
  for (const name of ['sync_issues', 'sync_issues_resolved']) {
    const collection = server.stores.state.collection(name) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const method of ['insert', 'insertMany', 'insertNew', 'upsertMany', 'update', 'updateMany', 'deleteMany']) {
      const original = collection[method].bind(collection);
      collection[method] = (...args: unknown[]) => {
        const docs = args[0];
        writes += Array.isArray(docs) ? docs.length : 1;
        return original(...args);
      };
    }
  }
  return { writes: () => writes };
}

describe('steady state: re-checks that cost what changed, deferred issues', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  it('writes nothing to sync_issues when a run finds the same issues again, yet shows them as seen by it', async () => {
    server = await startTestServer();
    for (let i = 0; i < 12; i++) {
      const seeded = await seedFile(server.stores, { userId: 'alice', fileId: `gone-${i}` });
      await server.stores.vectors.deleteByFileId(seeded.record.fileId);
    }
    const first = await analyze(server);
    expect(first.issues).toHaveLength(12);
    const counter = countIssueWrites(server);
    const second = await analyze(server);
    expect(counter.writes()).toBe(0);
    // The same issues, now last seen by the second run (derived from its scope check).
    expect(second.issues.map((i) => i.id).sort()).toEqual(first.issues.map((i) => i.id).sort());
    for (const issue of second.issues) {
      expect(issue.run_id).toBe(second.run_id);
      expect(Date.parse(issue.last_seen_at)).toBeGreaterThan(Date.parse(first.issues[0].last_seen_at));
    }
    const listed = await issues(server, 'open');
    expect(new Set(listed.map((i) => i.run_id))).toEqual(new Set([second.run_id]));
    // A user-scoped run covers alice's issues too.
    const third = await analyze(server, { user_id: 'alice' });
    expect(third.issues.map((i) => i.run_id)).toEqual(third.issues.map(() => third.run_id));
    // One change, one write: a file fixed is resolved, keeping when it was last seen.
    await server.stores.vectors.upsert((await seedFile(server.stores, { userId: 'alice', fileId: 'gone-0' })).points);
    const fourth = await analyze(server);
    expect(fourth.issues).toHaveLength(11);
    const resolved = await issues(server, 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ file_id: 'gone-0', resolution: 'not found again', run_id: third.run_id });
  });

  it('keeps an open issue open and deferred while its file is inside the grace window, then finds it again under the same id', async () => {
    server = await startTestServer({ SYNC_GRACE_SECONDS: '3' });
    const old = new Date(Date.now() - 3600_000);
    const seeded = await seedFile(server.stores, { userId: 'dave', fileId: 'reuploaded', createdAt: old, updatedAt: old });
    await server.stores.vectors.deleteByFileId('reuploaded');
    await server.stores.objects.put('dave/orphan.bin', Buffer.from('nobody owns me'));
    await new Promise((r) => setTimeout(r, 3100));
    const first = await analyze(server);
    const original = Object.fromEntries(first.issues.map((i) => [i.type, i]));
    expect(Object.keys(original).sort()).toEqual(['missing_vectors', 'orphan_object']);

    // Re-uploaded (metadata written again, now young) and the orphan touched: both inside the grace window.
    const now = new Date();
    await server.stores.metadata.upsert({ ...seeded.record, createdAt: now, updatedAt: now });
    await server.stores.objects.put('dave/orphan.bin', Buffer.from('nobody owns me, still'));
    await analyze(server);
    const open = await issues(server, 'open');
    expect(open.map((i) => [i.id, i.deferred]).sort()).toEqual(
      [
        [original.missing_vectors.id, true],
        [original.orphan_object.id, true],
      ].sort(),
    );
    for (const issue of open) expect(Date.parse(issue.deferred_until!)).toBeGreaterThan(Date.now());
    expect(await issues(server, 'resolved')).toEqual([]);
    // A single-file check inside the window defers too, instead of resolving.
    await request(server.url).post('/api/sync/check/reuploaded').set(auth(server)).expect(200);
    expect((await issues(server, 'open')).find((i) => i.id === original.missing_vectors.id)).toMatchObject({ deferred: true });
    // A repair does not act on it yet, and says why.
    const plan = await fix(server, { dry_run: false, issue_ids: [original.missing_vectors.id] });
    expect(plan.actions[0]).toMatchObject({ result: 'skipped', reason: expect.stringMatching(/grace window/) });

    await new Promise((r) => setTimeout(r, 3100));
    const after = await analyze(server);
    expect(after.issues.map((i) => [i.id, i.deferred]).sort()).toEqual(
      [
        [original.missing_vectors.id, false],
        [original.orphan_object.id, false],
      ].sort(),
    );
  });
});

describe('repairs: verified, paged, with progress', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  it('calls an action failed when the issue still holds after it, and leaves the issue open', async () => {
    // An action that claims success without changing anything: only verification can tell.
    const liar = {
      name: 'fix_size',
      prepare: () => null,
      run: async () => ({ result: 'done', before: {}, after: { file_size: 1 }, resolution: 'repaired: size corrected' }),
    };
    server = await startTestServer({}, { customize: (builder) => builder.overrideProvider(FixSizeAction).useValue(liar) });
    const seeded = await seedFile(server.stores, { userId: 'erin', fileId: 'sized' });
    await server.stores.metadata.updateSize('sized', seeded.bytes.length + 7);
    const run = await analyze(server);
    expect(run.issues.map((i) => i.type)).toEqual(['size_mismatch']);
    const result = await fix(server, { dry_run: false });
    expect(result.summary).toMatchObject({ done: 0, failed: 1 });
    expect(result.actions[0]).toMatchObject({ action: 'fix_size', result: 'failed', reason: expect.stringMatching(/still holds.*metadata_size/) });
    const trail = (await request(server.url).get(`/api/sync/actions?repair_id=${result.repair_id}`).set(auth(server)).expect(200)).body.actions;
    expect(trail[0]).toMatchObject({ result: 'failed', after: { verified: false, still_holds: { metadata_size: seeded.bytes.length + 7 } } });
    expect((await issues(server, 'open')).map((i) => i.id)).toEqual([run.issues[0].id]);
  });

  it('stores a plan in pages, pages it over HTTP, executes it with repair.progress events and resumes it', async () => {
    server = await startTestServer({ SYNC_MAX_DELETE_MIN: '1000' });
    for (let i = 0; i < 30; i++) await server.stores.objects.put(`frank/orphan-${String(i).padStart(2, '0')}.bin`, Buffer.from(`orphan ${i}`));
    await analyze(server);
    const plan = await fix(server, {});
    expect(plan).toMatchObject({ dry_run: true, total_actions: 30, summary: { planned: 30 } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = (
        await request(server.url)
          .get(`/api/sync/plans/${plan.plan_id}/actions?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
          .set(auth(server))
          .expect(200)
      ).body as { actions: { target: string }[]; next_cursor: string | null; total_actions: number };
      expect(page.total_actions).toBe(30);
      seen.push(...page.actions.map((a) => a.target));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(30);
    await request(server.url).get(`/api/sync/plans/${plan.plan_id}/actions?cursor=not-a-cursor`).set(auth(server)).expect(400);
    await request(server.url).get('/api/sync/plans/not-a-uuid/actions').set(auth(server)).expect(400);

    const progress: RepairProgress[] = [];
    const stopProgress = server.app.get(EventPublisher).on('repair.progress', (event) => progress.push(event.data));
    const started = await request(server.url)
      .post('/api/sync/fix')
      .set(auth(server))
      .send({ plan_id: plan.plan_id, dry_run: false, allow_destructive: true, wait: false });
    expect(started.status).toBe(202);
    let state = 'running';
    for (let i = 0; i < 200 && state === 'running'; i++) {
      state = (await request(server.url).get(`/api/sync/repairs/${started.body.repair_id}`).set(auth(server)).expect(200)).body.state;
      if (state === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    stopProgress();
    const final = (await request(server.url).get(`/api/sync/repairs/${started.body.repair_id}`).set(auth(server)).expect(200)).body;
    expect(final).toMatchObject({ state: 'completed', total: 30, processed: 30, summary: { done: 30, failed: 0 } });
    expect(progress.at(-1)).toMatchObject({ repair_id: started.body.repair_id, state: 'completed', processed: 30 });
    let quarantined = 0;
    for await (const object of server.stores.objects.listObjects({ prefix: 'quarantine/' })) if (object.key.includes('frank/orphan-')) quarantined += 1;
    expect(quarantined).toBe(30);

    // Executing the plan again resumes it: nothing is done twice.
    const again = await fix(server, { plan_id: plan.plan_id, dry_run: false, allow_destructive: true });
    expect(again.summary).toEqual({ planned: 0, done: 0, skipped: 30, failed: 0 });
    const journal = server.app.get(StateStore).collection<{ id: string; repair_id: string }>('sync_repair_journal');
    expect(await journal.count({ repair_id: started.body.repair_id })).toBe(30);
    expect(await journal.count({ repair_id: again.repair_id })).toBe(0);
  });
});
