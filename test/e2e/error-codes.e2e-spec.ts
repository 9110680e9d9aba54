import request from 'supertest';
import { ApiErrorBody, ERROR_CATALOGUE, ERROR_CODES } from '@storesync/contract';
import { startTestServer, TestServer } from '../support/server';

/** Every error body carries a stable code from the contract's catalogue, with the catalogue's status. */
describe('error codes (real server, real stack)', () => {
  let server: TestServer;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });
  const expectError = (body: ApiErrorBody, status: number, code: keyof typeof ERROR_CATALOGUE) => {
    expect(body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
    expect(ERROR_CATALOGUE[code].status).toBe(status);
    expect(body.message.length).toBeGreaterThan(5);
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /); // no stack trace
  };

  beforeAll(async () => {
    server = await startTestServer({ SYNC_API_DOCS: 'true' });
  });
  afterAll(() => server?.close());

  it('401 unauthorized without a token, or with a wrong one', async () => {
    expectError((await request(server.url).get('/api/sync/runs').expect(401)).body, 401, 'unauthorized');
    expectError((await request(server.url).get('/api/sync/runs').set('Authorization', 'Bearer nope').expect(401)).body, 401, 'unauthorized');
  });

  it('404 not_found for an unknown route, run, user and file', async () => {
    expectError((await request(server.url).get('/api/no-such-route').set(auth()).expect(404)).body, 404, 'not_found');
    const run = await request(server.url).get('/api/sync/runs/0b6f0000-0000-4000-8000-000000000000').set(auth()).expect(404);
    expectError(run.body, 404, 'not_found');
    expect(run.body.message).toMatch(/run not found/);
    expectError((await request(server.url).get('/api/sync/status/nobody-here').set(auth()).expect(404)).body, 404, 'not_found');
    expectError((await request(server.url).delete('/api/files/no-such-file').set(auth()).expect(404)).body, 404, 'not_found');
  });

  it('400 naming each bad field: query, unknown body field, cursor', async () => {
    const limit = await request(server.url).get('/api/sync/runs?limit=abc').set(auth()).expect(400);
    expectError(limit.body, 400, 'validation_failed');
    expect(limit.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'limit' })]));
    const unknown = await request(server.url).post('/api/sync/fix').set(auth()).send({ dry_run: true, bogus: 1 }).expect(400);
    expectError(unknown.body, 400, 'validation_failed');
    expect(unknown.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'bogus' })]));
    const cursor = await request(server.url).get('/api/sync/issues?cursor=not-a-cursor').set(auth()).expect(400);
    expectError(cursor.body, 400, 'invalid_cursor');
    expect(cursor.body.fields).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('400 invalid_json for a broken body, 413 payload_too_large above 1 MB', async () => {
    const broken = await request(server.url).post('/api/sync/fix').set(auth()).set('Content-Type', 'application/json').send('{"dry_run": tru').expect(400);
    expectError(broken.body, 400, 'invalid_json');
    const big = await request(server.url)
      .post('/api/sync/fix')
      .set(auth())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ issue_ids: ['x'.repeat(1_100_000)] }))
      .expect(413);
    expectError(big.body, 413, 'payload_too_large');
  });

  it('404 not_found for an unknown plan, 400 validation_failed for an id that is not a plan id', async () => {
    const unknown = await request(server.url)
      .post('/api/sync/fix')
      .set(auth())
      .send({ plan_id: '0b6f0000-0000-4000-8000-000000000000', dry_run: false })
      .expect(404);
    expectError(unknown.body, 404, 'not_found');
    expect(unknown.body.message).toMatch(/plan .* not found/);
    const malformed = await request(server.url).post('/api/sync/fix').set(auth()).send({ plan_id: 'plan-1', dry_run: false }).expect(400);
    expectError(malformed.body, 400, 'validation_failed');
    expect(malformed.body.fields).toEqual([expect.objectContaining({ field: 'plan_id' })]);
  });

  it('documents the error body and every code in the OpenAPI document', async () => {
    const doc = (await request(server.url).get('/api/docs-json').expect(200)).body as {
      components: { schemas: Record<string, { properties: { code: { enum: string[] } } }> };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(doc.components.schemas.ErrorBody.properties.code.enum).toEqual([...ERROR_CODES]);
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(10);
    for (const operation of operations) expect(operation.responses.default).toBeDefined();
  });
});
