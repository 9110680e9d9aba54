import request from 'supertest';
import { startTestServer, TestServer } from '../support/server';

describe('server smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SYNC_API_DOCS: 'true' });
  });
  afterAll(() => server.close());

  it('reports every real store healthy', async () => {
    const res = await request(server.url).get('/api/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.stores.mongodb).toMatchObject({ ok: true, kind: 'mongodb' });
    expect(res.body.stores.s3).toMatchObject({ ok: true, kind: 's3' });
    expect(res.body.stores.qdrant).toMatchObject({ ok: true, kind: 'qdrant' });
  });

  it('runs an empty analysis', async () => {
    const res = await request(server.url).post('/api/sync/analyze').set('Authorization', `Bearer ${server.token}`).send({}).expect(200);
    expect(res.body).toMatchObject({ state: 'completed', partial: false, summary: { total_files: 0 } });
  });

  it('serves the OpenAPI document generated from the DTOs', async () => {
    const res = await request(server.url).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/sync/analyze', '/api/sync/issues', '/api/files']));
    const analyze = res.body.components.schemas.AnalyzeRequestDto;
    expect(Object.keys(analyze.properties)).toEqual(['user_id', 'deep', 'wait']);
  });
});
