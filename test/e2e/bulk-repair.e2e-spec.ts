import request from 'supertest';
import { pointId, VectorPoint } from '@storesync/core';
import { seedFile, testVector } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

const auth = (server: TestServer) => ({ Authorization: `Bearer ${server.token}` });

interface WireIssue {
  id: string;
  type: string;
  file_id?: string;
  status: string;
  resolution?: string;
}

async function post(server: TestServer, path: string, body: Record<string, unknown>) {
  const res = await request(server.url).post(path).set(auth(server)).send(body);
  expect(res.status).toBe(200);
  return res.body;
}

/** Every issue of a listing, all its pages. */
async function allIssues(server: TestServer, query: string): Promise<WireIssue[]> {
  const out: WireIssue[] = [];
  let cursor: string | null = null;
  do {
    const res = await request(server.url)
      .get(`/api/sync/issues?${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`)
      .set(auth(server))
      .expect(200);
    out.push(...(res.body.issues as WireIssue[]));
    cursor = res.body.next_cursor as string | null;
  } while (cursor);
  return out;
}

/** Calls of each method on the two issue collections, by wrapping them. */
function countIssueCalls(server: TestServer): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const name of ['sync_issues', 'sync_issues_resolved']) {
    const collection = server.stores.state.collection(name) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const method of ['insert', 'insertMany', 'insertNew', 'upsertMany', 'update', 'updateMany', 'deleteMany']) {
      const original = collection[method].bind(collection);
      collection[method] = (...args: unknown[]) => {
        calls[`${name}.${method}`] = (calls[`${name}.${method}`] ?? 0) + 1;
        return original(...args);
      };
    }
  }
  return calls;
}

function orphanPoints(count: number): VectorPoint[] {
  return Array.from({ length: count }, (_, i) => {
    const fileId = `orphan-${String(i).padStart(4, '0')}`;
    return {
      id: pointId(fileId, 0),
      fileId,
      userId: `u${i % 3}`,
      chunkIndex: 0,
      chunkCount: 1,
      contentHash: 'f'.repeat(64),
      model: 'hash-v1',
      text: 'left behind',
      vector: testVector(fileId),
    };
  });
}

describe('bulk repairs on the real stack', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  it('plans 1,200 lines in stored pages, pages them over HTTP across page boundaries, and executes them in bulk', async () => {
    server = await startTestServer({ SYNC_MAX_DELETE_MIN: '100000' });
    const points = orphanPoints(1200);
    for (let i = 0; i < points.length; i += 400) await server.stores.vectors.upsert(points.slice(i, i + 400));
    await post(server, '/api/sync/analyze', {});
    const found = await allIssues(server, 'status=open');
    expect(found).toHaveLength(1200);

    const plan = await post(server, '/api/sync/fix', { dry_run: true });
    expect(plan).toMatchObject({ total_actions: 1200, summary: { planned: 1200 } });
    // Pages of 450 cross the stored pages of 500: every line once, in plan order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (
        await request(server.url)
          .get(`/api/sync/plans/${plan.plan_id}/actions?limit=450${cursor ? `&cursor=${cursor}` : ''}`)
          .set(auth(server))
          .expect(200)
      ).body as { actions: { issue_id: string }[]; next_cursor: string | null };
      seen.push(...page.actions.map((a) => a.issue_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(1200);
    expect(new Set(seen)).toEqual(new Set(found.map((i) => i.id)));

    const calls = countIssueCalls(server);
    const executed = await post(server, '/api/sync/fix', { plan_id: plan.plan_id, dry_run: false, allow_destructive: true });
    expect(executed.summary).toEqual({ planned: 0, done: 1200, skipped: 0, failed: 0 });
    expect(await server.stores.vectors.count()).toBe(0);
    // Resolution in bulk: no update of any issue, a few bulk statements per page of 1,000 lines.
    expect(calls['sync_issues.update'] ?? 0).toBe(0);
    expect(calls['sync_issues.updateMany'] ?? 0).toBe(0);
    expect(calls['sync_issues.deleteMany']).toBeLessThanOrEqual(2);
    expect(calls['sync_issues_resolved.insertNew']).toBeLessThanOrEqual(2);

    // Each line verified against Qdrant, and every issue moved to the resolved history once.
    const trail = (await request(server.url).get(`/api/sync/actions?repair_id=${executed.repair_id}&limit=1000`).set(auth(server)).expect(200)).body.actions;
    for (const entry of trail) expect(entry).toMatchObject({ result: 'done', after: { points: 0, verified: true } });
    expect(await allIssues(server, 'status=open')).toEqual([]);
    const resolved = await allIssues(server, 'status=resolved');
    expect(resolved).toHaveLength(1200);
    expect(new Set(resolved.map((i) => i.id)).size).toBe(1200);
    for (const issue of resolved) expect(issue).toMatchObject({ status: 'resolved', resolution: 'repaired: orphan points deleted' });
    expect(await allIssues(server, 'type=orphan_vectors')).toHaveLength(1200);
  });

  it('re-embeds many files in batches, each re-checked before and verified after', async () => {
    server = await startTestServer();
    const files = [];
    for (let i = 0; i < 120; i++)
      files.push(await seedFile(server.stores, { userId: `u${i % 4}`, fileId: `re-${i}` }, `file ${i} about ${'things '.repeat(20)}`));
    for (const { record } of files) await server.stores.vectors.deleteByFileId(record.fileId);
    // The backend wrote a string where storesync records the embedding: MongoDB refuses `$set` of
    // `embedding.chunks` in it, for that document alone (the rest of its bulk write goes through).
    const { MongoClient } = await import('mongodb');
    const config: { mongodb: { uri: string } } = server.app.get((await import('@storesync/config')).AppConfig);
    const mongo = await new MongoClient(config.mongodb.uri).connect();
    try {
      await mongo
        .db()
        .collection('files')
        .updateOne({ file_id: 're-77' }, { $set: { embedding: 'pending' } });
    } finally {
      await mongo.close();
    }
    // One file's object is gone between the analysis and the repair: the re-check sees missing_object instead.
    const run = await post(server, '/api/sync/analyze', {});
    expect(run.issues).toHaveLength(120);
    await server.stores.objects.delete(files[5].record.fileKey);

    const result = await post(server, '/api/sync/fix', { dry_run: false, types: ['missing_vectors'] });
    expect(result.summary).toMatchObject({ done: 118, skipped: 1, failed: 1 });
    const byFile = Object.fromEntries(result.actions.map((a: { target: string; result: string; reason?: string }) => [a.target, a]));
    expect(byFile['qdrant:re-5']).toMatchObject({ result: 'skipped', reason: expect.stringMatching(/no longer holds/) });
    expect(byFile['qdrant:re-77']).toMatchObject({ result: 'failed' });
    for (const { record } of files.filter((_, i) => i !== 5 && i !== 77)) {
      expect(await server.stores.vectors.count({ fileId: record.fileId })).toBeGreaterThan(0);
      expect(byFile[`qdrant:${record.fileId}`]).toMatchObject({ result: 'done' });
    }
    const trail = (await request(server.url).get(`/api/sync/actions?repair_id=${result.repair_id}&limit=1000`).set(auth(server)).expect(200)).body.actions;
    const done = trail.filter((e: { result: string }) => e.result === 'done');
    expect(done).toHaveLength(118);
    for (const entry of done) expect(entry.after).toMatchObject({ verified: true, chunks: expect.any(Number) });
    // The refusal is named as what it is (the document's fields), never as the store being down.
    const refused = trail.find((e: { target: string }) => e.target === 'qdrant:re-77');
    expect(refused.error).toMatch(/^mongodb refused to write the document: PathNotViable \(code 28\)/);
    expect(refused.error).not.toMatch(/unavailable|Cannot create field/);
    const again = await post(server, '/api/sync/analyze', {});
    expect(again.issues.map((i: WireIssue) => [i.type, i.file_id])).toEqual([['missing_object', 're-5']]);
  });

  it('reads an issue caught between the two collections by an interrupted move once, and finishes the move on the next resolution', async () => {
    server = await startTestServer();
    const seeded = await seedFile(server.stores, { userId: 'gina', fileId: 'half-moved' });
    await server.stores.vectors.deleteByFileId('half-moved');
    const [issue] = (await post(server, '/api/sync/analyze', {})).issues as WireIssue[];
    // A process stopped after the history insert and before the open copy's delete.
    const open = server.stores.state.collection<{ id: string }>('sync_issues');
    const history = server.stores.state.collection<{ id: string; status: string }>('sync_issues_resolved');
    const stored = (await open.get(issue.id))!;
    await history.insert({ ...stored, status: 'resolved', resolved_at: new Date().toISOString(), resolution: 'repaired: re-embedded' } as never);

    const listed = await allIssues(server, 'user_id=gina');
    expect(listed.filter((i) => i.id === issue.id)).toEqual([expect.objectContaining({ status: 'resolved' })]);

    await server.stores.vectors.upsert(seeded.points);
    const after = await post(server, '/api/sync/analyze', {});
    expect(after.issues).toEqual([]);
    expect(await open.get(issue.id)).toBeNull();
    expect(await history.find({ id: issue.id })).toHaveLength(1);
    expect(await allIssues(server, 'status=open')).toEqual([]);
  });
});
