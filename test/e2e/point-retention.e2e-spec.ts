import request from 'supertest';
import { QuarantinePurgeHook } from '@storesync/scheduling';
import { factories } from '../support/factories';
import { pointsFor, seedFile } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

/**
 * Safety rule 4 for vectors: a repair never hard-deletes points. Orphan points and the
 * points of a deletion it finishes are kept in the point quarantine (Qdrant: the
 * `<collection>_quarantine` collection), listed and restorable over HTTP, and purged by
 * the daily maintenance only after SYNC_QUARANTINE_DAYS.
 */
const auth = (server: TestServer) => ({ Authorization: `Bearer ${server.token}` });
const DAY = 24 * 3600_000;

describe('point retention on the real stack', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ SYNC_QUARANTINE_DAYS: '3' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('keeps deleted points, restores them exactly, and purges them only after retention', async () => {
    const { stores } = server;
    const ghost = factories.file({ fileId: 'ghost-file', userId: 'gina', sha256: 'a'.repeat(64) });
    const ghostPoints = pointsFor(ghost, ['first ghost chunk', 'second ghost chunk']);
    await stores.vectors.upsert(ghostPoints);
    const gone = await seedFile(stores, { fileId: 'deleted-file', userId: 'gina' });
    await stores.metadata.markInactive('deleted-file', new Date(Date.now() - 3600_000));
    await seedFile(stores, { fileId: 'healthy', userId: 'gina' });

    const analysis = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({}).expect(200);
    expect(analysis.body.issues.map((i: { type: string }) => i.type).sort()).toEqual(['deletion_incomplete', 'orphan_vectors']);
    const fixed = await request(server.url).post('/api/sync/fix').set(auth(server)).send({ dry_run: false, allow_destructive: true, force: true }).expect(200);
    expect(fixed.body.summary).toMatchObject({ done: 2, failed: 0 });

    // Out of the collection, but kept: with the reason, the file and the user.
    expect(await stores.vectors.getFilePoints('ghost-file')).toEqual([]);
    expect(await stores.vectors.getFilePoints('deleted-file')).toEqual([]);
    const listed = await request(server.url).get('/api/sync/quarantine/points').set(auth(server)).expect(200);
    const byFile = (fileId: string) => listed.body.points.filter((p: { file_id: string }) => p.file_id === fileId);
    expect(
      byFile('ghost-file')
        .map((p: { id: string }) => p.id)
        .sort(),
    ).toEqual(ghostPoints.map((p) => p.id).sort());
    expect(byFile('deleted-file')).toHaveLength(gone.points.length);
    expect(byFile('ghost-file')[0]).toMatchObject({ user_id: 'gina', reason: expect.stringMatching(/orphan_vectors/) });
    expect(Date.parse(byFile('ghost-file')[0].purge_after) - Date.parse(byFile('ghost-file')[0].quarantined_at)).toBe(3 * DAY);
    const oneFile = await request(server.url).get('/api/sync/quarantine/points?file_id=deleted-file').set(auth(server)).expect(200);
    expect(oneFile.body.points.map((p: { file_id: string }) => p.file_id)).toEqual(gone.points.map(() => 'deleted-file'));

    // Restored as they were: same ids, payload and vector (a search finds them first again).
    const restored = await request(server.url).post('/api/sync/quarantine/points/restore').set(auth(server)).send({ file_id: 'ghost-file' }).expect(200);
    expect(restored.body.restored).toBe(2);
    expect((await stores.vectors.getFilePoints('ghost-file')).map((p) => p.id)).toEqual(ghostPoints.map((p) => p.id));
    const [hit] = await stores.vectors.search(ghostPoints[1].vector, { limit: 1, userId: 'gina' });
    expect(hit).toMatchObject({ id: ghostPoints[1].id, payload: { fileId: 'ghost-file', text: 'second ghost chunk' } });
    const trail = await request(server.url).get('/api/sync/actions?file_id=ghost-file').set(auth(server)).expect(200);
    expect(trail.body.actions.map((a: { action: string }) => a.action)).toContain('restore_quarantined_points');

    // Bad requests say what is wrong.
    const bad = await request(server.url).post('/api/sync/quarantine/points/restore').set(auth(server)).send({ ids: [] }).expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/ids/);

    // The daily purge: nothing before the retention, the kept points after it.
    const hook = server.app.get(QuarantinePurgeHook, { strict: false });
    expect(await hook.run(new Date())).toMatchObject({ points_deleted: 0 });
    expect((await request(server.url).get('/api/sync/quarantine/points?file_id=deleted-file').set(auth(server)).expect(200)).body.points).toHaveLength(
      gone.points.length,
    );
    expect(await hook.run(new Date(Date.now() + 4 * DAY))).toMatchObject({ points_deleted: gone.points.length });
    expect((await request(server.url).get('/api/sync/quarantine/points').set(auth(server)).expect(200)).body.points).toEqual([]);
    // The restored points are untouched by the purge.
    expect(await stores.vectors.getFilePoints('ghost-file')).toHaveLength(2);
  });

  it('a re-embed keeps the points it replaces', async () => {
    const { stores } = server;
    const { record } = await seedFile(stores, { fileId: 'stale-file', userId: 'hugo' }, 'the current text of the stale file');
    const oldPoints = pointsFor({ ...record, sha256: 'b'.repeat(64) }, ['an old chunk', 'another old chunk', 'a third']);
    await stores.vectors.deleteByFileId('stale-file');
    await stores.vectors.upsert(oldPoints);
    const analysis = await request(server.url).post('/api/sync/analyze').set(auth(server)).send({ user_id: 'hugo' }).expect(200);
    expect(analysis.body.issues.map((i: { type: string }) => i.type)).toEqual(['stale_vectors']);
    await request(server.url).post('/api/sync/fix').set(auth(server)).send({ user_id: 'hugo', dry_run: false }).expect(200);
    const kept = await request(server.url).get('/api/sync/quarantine/points?file_id=stale-file').set(auth(server)).expect(200);
    expect(kept.body.points.map((p: { id: string }) => p.id).sort()).toEqual(oldPoints.map((p) => p.id).sort());
    expect(kept.body.points[0].reason).toMatch(/re-embed/);
  });
});
