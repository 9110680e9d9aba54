import * as fs from 'node:fs';
import * as path from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { QdrantStandin, startQdrantStandin } from './index';

const UUIDS = ['00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000a'];

describe(startQdrantStandin.name, () => {
  let standin: QdrantStandin;
  let client: QdrantClient;
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${standin.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));

  beforeAll(async () => {
    standin = await startQdrantStandin();
    client = new QdrantClient({ url: standin.url, checkCompatibility: false });
  });
  afterAll(() => standin.close());

  it('answers GET / with a version the installed client accepts', async () => {
    const info = await client.versionInfo();
    expect(info.title).toMatch(/qdrant/);
    // The client's rule: same major, minor at most one apart (its package exports hide the helper).
    const clientPackage = path.join(process.cwd(), 'node_modules/@qdrant/js-client-rest/package.json');
    const [clientMajor, clientMinor] = JSON.parse(fs.readFileSync(clientPackage, 'utf8')).version.split('.').map(Number);
    const [major, minor] = info.version.split('.').map(Number);
    expect(major).toBe(clientMajor);
    expect(Math.abs(minor - clientMinor)).toBeLessThanOrEqual(1);
  });

  it('creates, lists, describes and deletes collections with Qdrant’s envelopes and codes', async () => {
    expect(await request('PUT', '/collections/c1', { vectors: { size: 2, distance: 'Cosine' } })).toMatchObject({
      status: 200,
      body: { result: true, status: 'ok', time: expect.any(Number) },
    });
    expect(await request('PUT', '/collections/c1', { vectors: { size: 2, distance: 'Cosine' } })).toEqual({
      status: 409,
      body: { status: { error: 'Wrong input: Collection `c1` already exists!' }, time: expect.any(Number) },
    });
    expect((await client.getCollections()).collections).toEqual([{ name: 'c1' }]);
    expect((await client.getCollection('c1')).config.params.vectors).toEqual({ size: 2, distance: 'Cosine' });
    expect(await client.collectionExists('c1')).toEqual({ exists: true });
    expect(await client.deleteCollection('c1')).toBe(true);
    expect(await request('GET', '/collections/c1')).toEqual({
      status: 404,
      body: { status: { error: "Not found: Collection `c1` doesn't exist!" }, time: expect.any(Number) },
    });
    expect((await request('POST', '/collections/c1/points/count', {})).status).toBe(404);
  });

  it('upserts, retrieves, scrolls by id and searches by cosine', async () => {
    await client.createCollection('c2', { vectors: { size: 2, distance: 'Cosine' } });
    await client.upsert('c2', {
      wait: true,
      points: [
        { id: UUIDS[0].toUpperCase(), vector: [3, 4], payload: { k: 'b' } },
        { id: UUIDS[1], vector: [1, 0], payload: { k: 'a' } },
      ],
    });
    const retrieved = await client.retrieve('c2', { ids: [UUIDS[0], 'ffffffff-0000-4000-8000-000000000000'], with_vector: true });
    expect(retrieved).toEqual([{ id: UUIDS[0], payload: { k: 'b' }, vector: [0.6, 0.8].map(Math.fround) }]);
    const page = await client.scroll('c2', { limit: 1, with_payload: { include: ['k'] } });
    expect(page).toEqual({ points: [{ id: UUIDS[1], payload: { k: 'a' }, vector: null }], next_page_offset: UUIDS[0] });
    const hits = await client.search('c2', { vector: [0, 1], limit: 2 });
    expect(hits.map((hit) => hit.id)).toEqual([UUIDS[0], UUIDS[1]]);
    expect(hits[0].score).toBeCloseTo(0.8, 5);
    const { points } = await client.query('c2', { query: [1, 0], limit: 1 });
    expect(points).toEqual([expect.objectContaining({ id: UUIDS[1], payload: null, score: expect.closeTo(1, 5) })]);
  });

  it('answers bad requests with 400', async () => {
    await client.createCollection('c3', { vectors: { size: 2, distance: 'Dot' } });
    const wrongSize = await request('PUT', '/collections/c3/points?wait=true', { points: [{ id: 1, vector: [1] }] });
    expect(wrongSize).toMatchObject({ status: 400, body: { status: { error: expect.stringMatching(/expected dim: 2, got 1/) } } });
    expect((await request('PUT', '/collections/c3/points', { points: [{ id: 'x', vector: [1, 2] }] })).status).toBe(400);
    expect((await request('POST', '/collections/c3/points/scroll', { filter: { must: [{ key: 'k' }] } })).status).toBe(400);
  });

  it('requires the api key when one is set, except for GET /', async () => {
    const guarded = await startQdrantStandin({ apiKey: 'secret' });
    try {
      const call = (headers: Record<string, string>) => fetch(`${guarded.url}/collections`, { headers }).then((r) => r.status);
      expect(await call({})).toBe(401);
      expect(await call({ 'api-key': 'nope' })).toBe(403);
      expect(await call({ 'api-key': 'secret' })).toBe(200);
      expect(await call({ authorization: 'Bearer secret' })).toBe(200);
      expect((await fetch(`${guarded.url}/`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('keeps named vectors: creation, upsert by name, query `using`, search `{ name, vector }`, with_vector by name', async () => {
    await client.createCollection('named', { vectors: { dense: { size: 2, distance: 'Cosine' }, other: { size: 3, distance: 'Dot' } } });
    const info = await client.getCollection('named');
    expect(info.config.params.vectors).toEqual({ dense: { size: 2, distance: 'Cosine' }, other: { size: 3, distance: 'Dot' } });
    await client.upsert('named', {
      wait: true,
      points: [
        { id: 1, vector: { dense: [1, 0], other: [0, 0, 1] }, payload: { a: 1 } },
        { id: 2, vector: { dense: [0, 1] } },
      ],
    });
    const byDense = await client.query('named', { query: [0, 1], using: 'dense', limit: 2 });
    expect(byDense.points.map((p) => p.id)).toEqual([2, 1]);
    // Only points that have the vector take part.
    const byOther = await client.query('named', { query: [0, 0, 1], using: 'other', limit: 5 });
    expect(byOther.points.map((p) => p.id)).toEqual([1]);
    const searched = await client.search('named', { vector: { name: 'dense', vector: [1, 0] }, limit: 1 });
    expect(searched.map((p) => p.id)).toEqual([1]);
    const [withVectors] = await client.retrieve('named', { ids: [1], with_vector: ['dense'] });
    expect(withVectors.vector).toEqual({ dense: [1, 0] });
    // An unnamed vector, or a name the collection does not have, is refused like Qdrant does.
    expect((await request('PUT', '/collections/named/points', { points: [{ id: 3, vector: [1, 0] }] })).status).toBe(400);
    expect((await request('PUT', '/collections/named/points', { points: [{ id: 3, vector: { sparse: [1] } }] })).status).toBe(400);
    expect((await request('POST', '/collections/named/points/query', { query: [1, 0] })).status).toBe(400);
  });
});
