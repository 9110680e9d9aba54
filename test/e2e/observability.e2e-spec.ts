import request from 'supertest';
import { freePort } from '../support/stack';
import { seedFile } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

/** The value of one sample of the exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^([^\s{]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('observability: /metrics and the health probes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN: 'metrics-scraper-token-0123' });
  });
  afterAll(() => server?.close());

  const scrape = (token = server.token) => request(server.url).get('/metrics').set('Authorization', `Bearer ${token}`);

  it('liveness and readiness answer without a token', async () => {
    const live = await request(server.url).get('/api/health/live').expect(200);
    expect(live.body).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
    const ready = await request(server.url).get('/api/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { state: { status: 'up' }, mongodb: { status: 'up' }, s3: { status: 'up' }, qdrant: { status: 'up' } },
    });
  });

  it('refuses /metrics without a token or with a wrong one, accepts the admin token and METRICS_TOKEN', async () => {
    await request(server.url).get('/metrics').expect(401);
    await scrape('not-the-token-at-all').expect(401);
    await scrape('metrics-scraper-token-0123').expect(200);
    const res = await scrape().expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('counts issues, runs, store calls, events and repair actions', async () => {
    const { record } = await seedFile(server.stores, { userId: 'metrics-user' });
    const { record: stale } = await seedFile(server.stores, { userId: 'metrics-user' });
    await server.stores.objects.delete(record.fileKey);
    await server.stores.vectors.deleteByFileId(stale.fileId);

    const auth = { Authorization: `Bearer ${server.token}` };
    await request(server.url).post('/api/sync/analyze').set(auth).send({}).expect(200);
    await request(server.url)
      .post('/api/sync/fix')
      .set(auth)
      .send({ types: ['missing_vectors'], dry_run: false })
      .expect(200);

    const text = (await scrape().expect(200)).text;
    expect(sample(text, 'storesync_open_issues', { type: 'missing_object' })).toBe(1);
    expect(sample(text, 'storesync_open_issues', { type: 'orphan_vectors' })).toBe(0);
    expect(sample(text, 'storesync_users', { status: 'missing' })).toBe(1);
    expect(sample(text, 'storesync_analysis_runs_total', { scope: 'all', state: 'completed', partial: 'false' })).toBe(1);
    expect(sample(text, 'storesync_analysis_duration_seconds_count', { scope: 'all', state: 'completed' })).toBe(1);
    expect(sample(text, 'storesync_analysis_files_scanned_total', { scope: 'all' })).toBe(2);
    expect(sample(text, 'storesync_store_call_duration_seconds_count', { store: 's3', operation: 'listObjectPages' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'storesync_store_call_duration_seconds_count', { store: 'mongodb', operation: 'streamFilePages' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'storesync_store_call_duration_seconds_count', { store: 'state', operation: 'count' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'storesync_events_published_total', { type: 'sync.issue.detected' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'storesync_events_published_total', { type: 'analysis.completed' })).toBe(1);
    expect(sample(text, 'storesync_issues_detected_total', { type: 'missing_vectors' })).toBe(1);
    expect(sample(text, 'storesync_repair_actions_total', { action: 'reembed', result: 'done', actor: 'api' })).toBe(1);
    expect(text).toContain('storesync_process_cpu_seconds_total');
  });
});

describe('observability: a store that does not answer', () => {
  it('leaves readiness up but degraded when a data store is down, and counts its errors', async () => {
    const closed = await freePort();
    const server = await startTestServer({ QDRANT_URL: `http://127.0.0.1:${closed}`, STORE_TIMEOUT_MS: '500' });
    try {
      const ready = await request(server.url).get('/api/health/ready').expect(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.info.state.status).toBe('up');
      expect(ready.body.info.qdrant ?? ready.body.details.qdrant).toMatchObject({ status: 'degraded' });
      const text = (await request(server.url).get('/metrics').set('Authorization', `Bearer ${server.token}`).expect(200)).text;
      expect(sample(text, 'storesync_store_call_errors_total', { store: 'qdrant', operation: 'ping', outcome: 'unavailable' })).toBeGreaterThanOrEqual(1);
    } finally {
      await server.close();
    }
  });

  it('answers 503 on readiness when the state store does not answer, and liveness stays 200', async () => {
    const closed = await freePort();
    const server = await startTestServer({ MONGODB_URI: `mongodb://127.0.0.1:${closed}/nothing`, STORE_TIMEOUT_MS: '500' });
    try {
      const started = Date.now();
      const ready = await request(server.url).get('/api/health/ready').expect(503);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(ready.body.status).toBe('error');
      expect(ready.body.error.state.status).toBe('down');
      await request(server.url).get('/api/health/live').expect(200);
    } finally {
      await server.close();
    }
  });
});
