import request from 'supertest';
import { startTestServer, TestServer } from '../support/server';

describe('HTTP hardening (headers, bodies, docs)', () => {
  let server: TestServer;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('sends helmet security headers and no X-Powered-By', async () => {
    const res = await request(server.url).get('/api/health').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a text/plain body on a JSON route with 415 instead of running a global analysis', async () => {
    const res = await request(server.url).post('/api/sync/analyze').set(auth()).set('Content-Type', 'text/plain').send('{"user_id":"alice"}').expect(415);
    expect(res.body).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('application/json') });
    const runs = await request(server.url).get('/api/sync/runs').set(auth()).expect(200);
    expect(runs.body.runs).toEqual([]);
  });

  it.each(['application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'])('refuses %s on /api/sync/fix (415)', async (type) => {
    const res = await request(server.url).post('/api/sync/fix').set(auth()).set('Content-Type', type).send('a=1').expect(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });

  it('refuses a JSON upload with 415 naming multipart', async () => {
    const res = await request(server.url).post('/api/files').set(auth()).send({ user_id: 'a' }).expect(415);
    expect(res.body).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('multipart/form-data') });
  });

  it('refuses JSON nested 3,000 deep with 400 naming the depth limit, not 500', async () => {
    const deep = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
    const res = await request(server.url).post('/api/sync/fix').set(auth()).set('Content-Type', 'application/json').send(deep).expect(400);
    expect(res.body).toMatchObject({ code: 'json_too_deep', message: expect.stringContaining('nested deeper than 32') });
    const arrays = '['.repeat(3000) + ']'.repeat(3000);
    await request(server.url).post('/api/sync/analyze').set(auth()).set('Content-Type', 'application/json').send(arrays).expect(400);
  });

  it('still reads brackets inside JSON strings as text', async () => {
    const res = await request(server.url)
      .post('/api/sync/fix')
      .set(auth())
      .send({ issue_ids: ['['.repeat(100) + '"\\'] })
      .expect(200);
    expect(res.body.dry_run).toBe(true);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await request(server.url).post('/api/sync/fix').set(auth()).set('Content-Type', 'application/json').send('{"a":').expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_json', message: 'request body is not valid JSON' });
  });

  it('gives every error body a code', async () => {
    const unauthorized = await request(server.url).get('/api/sync/runs').expect(401);
    expect(unauthorized.body.code).toBe('unauthorized');
    const invalid = await request(server.url).get('/api/sync/runs?limit=0').set(auth()).expect(400);
    expect(invalid.body).toMatchObject({ code: 'validation_failed', fields: [{ field: 'limit' }] });
  });

  it('keeps the API docs off when a token is set and SYNC_API_DOCS is unset', async () => {
    await request(server.url).get('/api/docs-json').expect(404);
    await request(server.url).get('/api/docs').expect(404);
  });
});

describe('API docs setting', () => {
  it('serves the docs when SYNC_API_DOCS=true', async () => {
    const server = await startTestServer({ SYNC_API_DOCS: 'true' });
    try {
      const res = await request(server.url).get('/api/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
    } finally {
      await server.close();
    }
  });
});

describe('failed-auth rate limit', () => {
  it('answers 429 rate_limited past AUTH_FAILURE_LIMIT failures, counts only failures, and blocks even a right token meanwhile', async () => {
    const server = await startTestServer({ AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '60' });
    try {
      const good = () => request(server.url).get('/api/sync/runs').set('Authorization', `Bearer ${server.token}`);
      // Successes are not counted.
      for (let i = 0; i < 20; i++) await good().expect(200);
      for (let i = 0; i < 5; i++) {
        const res = await request(server.url).get('/api/sync/runs').set('Authorization', `Bearer wrong-token-${i}`).expect(401);
        expect(res.body.code).toBe('unauthorized');
      }
      const limited = await request(server.url).get('/api/sync/runs').set('Authorization', 'Bearer wrong-token-6').expect(429);
      expect(limited.body).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('failed authentications') });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // While blocked, guessing right does not help.
      const blocked = await good().expect(429);
      expect(blocked.body.code).toBe('rate_limited');
      // Public routes stay open.
      await request(server.url).get('/api/health').expect(200);
    } finally {
      await server.close();
    }
  });
});
