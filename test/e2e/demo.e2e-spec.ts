import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/server';

/** The README's run command: embedded stores, demo data, no servers. */
describe('the embedded default with demo data', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-demo-'));
    server = await startTestServer({ MONGODB_URI: '', S3_ENDPOINT: '', QDRANT_URL: '', DATA_DIR: dataDir, SEED_DEMO: 'true', SYNC_GRACE_SECONDS: '300' });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs on local stores and shows every plantable issue type after the first analysis', async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    const health = await request(server.url).get('/api/health').expect(200);
    expect(Object.values(health.body.stores).map((s) => (s as { kind: string }).kind)).toEqual(['local', 'local', 'local']);
    let overview: request.Response | undefined;
    for (let i = 0; i < 100; i++) {
      overview = await request(server.url).get('/api/sync/overview').set(auth).expect(200);
      if (overview.body.last_run?.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(overview!.body.last_run).toMatchObject({ state: 'completed', trigger: 'demo', scope: { user_id: null } });
    expect(overview!.body.storage.s3.objects).toBe(36);
    expect(overview!.body.storage.mongodb.files).toBe(36);
    expect(overview!.body.storage.qdrant.files).toBe(35);
    expect(overview!.body.summary.issues_by_type.orphan_object).toBe(1);
    expect(Object.keys(overview!.body.issues_by_type).sort()).toEqual([
      'checksum_mismatch',
      'deletion_incomplete',
      'missing_object',
      'missing_vectors',
      'orphan_object',
      'orphan_vectors',
      'size_mismatch',
      'stale_vectors',
    ]);
    expect(overview!.body.summary.synced).toBeGreaterThan(20);
    const users = await request(server.url).get('/api/sync/users').set(auth).expect(200);
    expect(users.body.users.map((u: { user_id: string }) => u.user_id)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
    expect(users.body.users[0]).toMatchObject({ status: 'synced', open_issues: 0 });
    expect(users.body.users[1].status).toBe('missing');
  });

  it('does not seed again over existing data', async () => {
    const again = await startTestServer({ MONGODB_URI: '', S3_ENDPOINT: '', QDRANT_URL: '', DATA_DIR: dataDir, SEED_DEMO: 'true' });
    try {
      const users = await request(again.url)
        .get('/api/sync/users')
        .set({ Authorization: `Bearer ${again.token}` })
        .expect(200);
      expect(users.body.users.reduce((n: number, u: { total_files: number }) => n + u.total_files, 0)).toBe(36);
    } finally {
      await again.close();
    }
  });
});
