import request from 'supertest';
import { seedFile } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Action {
  issue_id: string;
  action: string;
  result: string;
  actor: string;
  dry_run: boolean;
}

describe('automatic repair (opt-in)', () => {
  let server: TestServer;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });
  const actionsFor = async (issueId: string): Promise<Action[]> =>
    (await request(server.url).get('/api/sync/actions').query({ issue_id: issueId }).set(auth()).expect(200)).body.actions as Action[];
  const analyze = async (userId: string) =>
    (await request(server.url).post('/api/sync/analyze').set(auth()).send({ user_id: userId }).expect(200)).body as {
      issues: { id: string; type: string; file_id: string }[];
    };

  afterEach(() => server?.close());

  it('is off by default: a detected issue stays open and nothing acts', async () => {
    server = await startTestServer();
    const { record } = await seedFile(server.stores, { userId: 'auto-off' });
    await server.stores.vectors.deleteByFileId(record.fileId);
    const { issues } = await analyze('auto-off');
    expect(issues.map((i) => i.type)).toEqual(['missing_vectors']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await actionsFor(issues[0].id)).toEqual([]);
    expect((await request(server.url).get('/api/auto-repair').set(auth()).expect(200)).body).toMatchObject({ enabled: false, totals: { issues: 0 } });
  });

  it('re-embeds missing vectors on detection as actor auto, verified like any repair', async () => {
    server = await startTestServer({ AUTO_REPAIR_TYPES: 'missing_vectors,stale_vectors,orphan_object', AUTO_REPAIR_BATCH_SECONDS: '0' });
    const { record, points } = await seedFile(server.stores, { userId: 'auto-on' });
    await server.stores.vectors.deleteByFileId(record.fileId);
    const { issues } = await analyze('auto-on');
    const issue = issues.find((i) => i.type === 'missing_vectors')!;
    const done = await until('the automatic re-embed', async () => (await actionsFor(issue.id)).find((a) => !a.dry_run && a.result === 'done'));
    expect(done).toMatchObject({ action: 'reembed', actor: 'auto' });
    expect((await server.stores.vectors.getFilePoints(record.fileId)).length).toBe(points.length);
    // The audit entry is written before the issue is resolved (a lost entry would read as an
    // interrupted action), so the issue leaves the open list a moment after "done" is visible.
    const openIssues = async () =>
      (await request(server.url).get('/api/sync/issues').query({ status: 'open', user_id: 'auto-on' }).set(auth()).expect(200)).body.issues as unknown[];
    await until('the issue resolved by the repair', async () => (await openIssues()).length === 0, 5000);
    const resolved = await request(server.url).get('/api/sync/issues').query({ status: 'resolved', user_id: 'auto-on' }).set(auth()).expect(200);
    expect(resolved.body.issues).toEqual([expect.objectContaining({ id: issue.id, status: 'resolved' })]);
  });

  it('never removes anything for a type not listed as destructive', async () => {
    server = await startTestServer({ AUTO_REPAIR_TYPES: 'orphan_object', AUTO_REPAIR_BATCH_SECONDS: '0' });
    const key = 'auto-orphan/f-orphan/file.txt';
    await server.stores.objects.put(key, Buffer.from('nobody knows me'), { contentType: 'text/plain' });
    const { issues } = await analyze('auto-orphan');
    const orphan = issues.find((i) => i.type === 'orphan_object')!;
    expect(orphan).toBeDefined();
    await until('the batch', async () => (await request(server.url).get('/api/auto-repair').set(auth())).body.recent.length > 0 && true);
    const actions = (await actionsFor(orphan.id)).filter((a) => !a.dry_run);
    expect(actions.every((a) => a.result !== 'done')).toBe(true);
    expect(await server.stores.objects.head(key)).not.toBeNull();
  });

  it('stays within AUTO_REPAIR_MAX_PER_MINUTE', async () => {
    server = await startTestServer({ AUTO_REPAIR_TYPES: 'missing_vectors', AUTO_REPAIR_MAX_PER_MINUTE: '2', AUTO_REPAIR_BATCH_SECONDS: '0' });
    const seeded = await Promise.all(Array.from({ length: 5 }, () => seedFile(server.stores, { userId: 'auto-rate' })));
    for (const { record } of seeded) await server.stores.vectors.deleteByFileId(record.fileId);
    const { issues } = await analyze('auto-rate');
    expect(issues).toHaveLength(5);
    await until('two repairs', async () => (await request(server.url).get('/api/auto-repair').set(auth())).body.totals.done >= 2 && true);
    await new Promise((r) => setTimeout(r, 2000));
    const status = (await request(server.url).get('/api/auto-repair').set(auth()).expect(200)).body;
    expect(status.totals.done).toBe(2);
    expect(status.queued).toBe(3);
  });

  it('never forces the circuit breaker: a destructive plan over the limit is refused and told', async () => {
    server = await startTestServer({
      AUTO_REPAIR_TYPES: 'orphan_vectors',
      AUTO_REPAIR_DESTRUCTIVE_TYPES: 'orphan_vectors',
      AUTO_REPAIR_BATCH_SECONDS: '0',
      SYNC_MAX_DELETE_PERCENT: '10',
      SYNC_MAX_DELETE_MIN: '1',
    });
    const seeded = await Promise.all(Array.from({ length: 3 }, () => seedFile(server.stores, { userId: 'auto-breaker' })));
    // Two of three files' metadata gone: deleting their points is most of the collection.
    const { MongoClient } = await import('mongodb');
    const config: { mongodb: { uri: string } } = server.app.get((await import('@storesync/config')).AppConfig);
    const uri = config.mongodb.uri;
    const mongo = await new MongoClient(uri).connect();
    try {
      for (const { record } of seeded.slice(0, 2)) await mongo.db().collection('files').deleteOne({ file_id: record.fileId });
    } finally {
      await mongo.close();
    }
    const { issues } = await analyze('auto-breaker');
    expect(issues.filter((i) => i.type === 'orphan_vectors')).toHaveLength(2);
    const status = await until('the refusal', async () => {
      const s = (await request(server.url).get('/api/auto-repair').set(auth())).body as { recent: { outcome: string }[]; totals: { refused: number } };
      return s.recent.some((b) => b.outcome === 'refused_circuit_breaker') && s;
    });
    expect(status.totals.refused).toBe(2);
    for (const { record } of seeded.slice(0, 2)) expect((await server.stores.vectors.getFilePoints(record.fileId)).length).toBeGreaterThan(0);
  });

  it('refuses to start with an unknown type or a destructive type outside the policy', async () => {
    await expect(startTestServer({ AUTO_REPAIR_TYPES: 'missing_vectors,everything' })).rejects.toThrow(
      /AUTO_REPAIR_TYPES: unknown or unrepairable issue type everything/,
    );
    await expect(startTestServer({ AUTO_REPAIR_TYPES: 'missing_vectors', AUTO_REPAIR_DESTRUCTIVE_TYPES: 'orphan_object' })).rejects.toThrow(
      /orphan_object not in AUTO_REPAIR_TYPES/,
    );
  });
});
