import type { Readable } from 'node:stream';
import { FileCheckService } from '@storesync/analysis';
import { sha256Hex, SyncEvent } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { FilePipelineService } from '@storesync/ingest';
import request from 'supertest';
import { freePort } from '../support/stack';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';

const readAll = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};

const MAX_UPLOAD_BYTES = 64 * 1024;
// ~5 chunks of the default 1000 characters.
const LONG_TEXT = Array.from({ length: 700 }, (_, i) => `word${i}`).join(' ');

function recordEvents(server: TestServer): SyncEvent[] {
  const seen: SyncEvent[] = [];
  const events = server.app.get(EventPublisher);
  for (const type of ['file.uploaded', 'file.deleted', 'embedding.created', 'embedding.deleted'] as const) {
    events.on(type, (event) => seen.push(event));
  }
  return seen;
}

describe('files (the pipeline over HTTP, real stores)', () => {
  const env = isolatedStackEnv();
  let server: TestServer;
  let events: SyncEvent[];
  const auth = () => ({ Authorization: `Bearer ${server.token}` });
  const upload = (userId: string, name: string, content: Buffer | string, contentType = 'text/plain') =>
    request(server.url)
      .post('/api/files')
      .set(auth())
      .field('user_id', userId)
      .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), { filename: name, contentType });
  const check = (fileId: string) => server.app.get(FileCheckService, { strict: false }).checkFile(fileId);

  beforeAll(async () => {
    server = await startTestServer({ ...env, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
    events = recordEvents(server);
  });
  afterAll(() => server?.close());

  it('stores metadata, object and points of a text file, and the file checks synced', async () => {
    const res = await upload('alice', 'notes/../Q3 report?.txt', LONG_TEXT).expect(201);
    const fileId = res.body.file_id;
    expect(res.body).toMatchObject({
      user_id: 'alice',
      file_key: `alice/${fileId}/Q3 report_.txt`,
      file_size: Buffer.byteLength(LONG_TEXT),
      sha256: sha256Hex(LONG_TEXT),
      is_active: true,
      steps: { metadata: 'done', object: 'done', vectors: 'done', embedding: 'done' },
      embedded: true,
    });
    const chunks = res.body.embedding.chunks;
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(res.body.embedding).toEqual({ chunks, model: 'hash-v1', content_hash: sha256Hex(LONG_TEXT) });

    const record = await server.stores.metadata.getByFileId(fileId);
    expect(record).toMatchObject({ isActive: true, sha256: sha256Hex(LONG_TEXT), embedding: { chunks, contentHash: sha256Hex(LONG_TEXT) } });
    const object = await server.stores.objects.head(res.body.file_key);
    expect(object).toMatchObject({ size: Buffer.byteLength(LONG_TEXT), sha256: sha256Hex(LONG_TEXT) });
    const points = await server.stores.vectors.getFilePoints(fileId);
    expect(points.map((p) => p.chunkIndex)).toEqual(Array.from({ length: chunks }, (_, i) => i));
    expect(points.every((p) => p.userId === 'alice' && p.chunkCount === chunks && p.contentHash === sha256Hex(LONG_TEXT) && p.model === 'hash-v1')).toBe(true);
    const [hit] = await server.stores.vectors.search(
      Array.from({ length: 256 }, (_, i) => (i === 0 ? 1 : 0)),
      { limit: 1, userId: 'alice' },
    );
    expect(hit.payload.text).toEqual(expect.any(String));

    expect((await check(fileId)).check).toMatchObject({ status: 'synced', issues: [] });
    expect(events.filter((e) => e.file_id === fileId).map((e) => e.type)).toEqual(['file.uploaded', 'embedding.created']);
    expect(events.find((e) => e.file_id === fileId && e.type === 'embedding.created')).toMatchObject({ user_id: 'alice', data: { chunks, model: 'hash-v1' } });
  });

  it('stores a type it does not read without points, says so, and the file checks synced', async () => {
    const res = await upload('alice', 'photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'image/png').expect(201);
    expect(res.body).toMatchObject({ steps: { vectors: 'not_needed', embedding: 'done' }, embedded: false, chunks: 0 });
    expect(res.body.not_embedded_reason).toContain('image/png');
    expect(await server.stores.vectors.count({ fileId: res.body.file_id })).toBe(0);
    expect((await check(res.body.file_id)).check).toMatchObject({ status: 'synced' });
  });

  it('embeds HTML as its visible text', async () => {
    const res = await upload('bob', 'page.html', '<html><script>var hidden=1</script><p>Visible words</p></html>', 'text/html').expect(201);
    const points = await server.stores.vectors.search(Array(256).fill(1 / 16), { limit: 10, userId: 'bob' });
    const texts = points.filter((p) => p.payload.fileId === res.body.file_id).map((p) => p.payload.text);
    expect(texts).toEqual(['Visible words']);
  });

  it('refuses a bad user_id or a missing file with 400 naming the field', async () => {
    const bad = await upload('not a user!', 'a.txt', 'x').expect(400);
    expect(bad.body.fields).toEqual([expect.objectContaining({ field: 'user_id' })]);
    const missing = await request(server.url).post('/api/files').set(auth()).field('user_id', 'alice').expect(400);
    expect(missing.body.fields).toEqual([expect.objectContaining({ field: 'file' })]);
    const list = await request(server.url).get('/api/files').set(auth()).expect(400);
    expect(list.body.fields[0].field).toBe('user_id');
  });

  it('refuses a file over MAX_UPLOAD_BYTES with 413 and stores nothing', async () => {
    const before = await server.stores.metadata.count({ userId: 'carol' });
    const res = await upload('carol', 'big.txt', Buffer.alloc(MAX_UPLOAD_BYTES + 1, 'a')).expect(413);
    expect(res.body.message).toContain(`${MAX_UPLOAD_BYTES} bytes`);
    expect(await server.stores.metadata.count({ userId: 'carol' })).toBe(before);
  });

  it('needs the admin token', async () => {
    await request(server.url).get('/api/files?user_id=alice').expect(401);
  });

  it("lists a user's active files", async () => {
    const res = await upload('dave', 'one.md', '# One', 'text/markdown').expect(201);
    const list = await request(server.url).get('/api/files?user_id=dave').set(auth()).expect(200);
    expect(list.body.files.map((f: { file_id: string }) => f.file_id)).toEqual([res.body.file_id]);
    expect(list.body.files[0]).toMatchObject({ file_name: 'one.md', content_type: 'text/markdown', embedding: { chunks: 1 } });
  });

  it('deletes from every store and soft-deletes the metadata', async () => {
    const up = await upload('erin', 'gone.txt', LONG_TEXT).expect(201);
    const fileId = up.body.file_id;
    const res = await request(server.url).delete(`/api/files/${fileId}`).set(auth()).expect(200);
    expect(res.body).toEqual({ file_id: fileId, file_key: up.body.file_key, steps: { metadata: 'done', object: 'done', vectors: 'done', deleted_at: 'done' } });
    const record = await server.stores.metadata.getByFileId(fileId);
    expect(record).toMatchObject({ isActive: false, deletedAt: expect.any(Date) });
    expect(await server.stores.objects.head(up.body.file_key)).toBeNull();
    expect(await server.stores.vectors.count({ fileId })).toBe(0);
    expect(events.filter((e) => e.file_id === fileId).map((e) => e.type)).toEqual(['file.uploaded', 'embedding.created', 'file.deleted', 'embedding.deleted']);
    expect((await request(server.url).get('/api/files?user_id=erin').set(auth()).expect(200)).body.files).toEqual([]);
    await request(server.url).delete('/api/files/no-such-file').set(auth()).expect(404);
  });

  it('re-embeds from the object: new points first, extra points removed, metadata updated', async () => {
    const up = await upload('frank', 'shrinks.txt', LONG_TEXT).expect(201);
    const fileId = up.body.file_id;
    const before = up.body.embedding.chunks;
    const shorter = 'only a short text now';
    await server.stores.objects.put(up.body.file_key, Buffer.from(shorter), { contentType: 'text/plain' });
    expect((await check(fileId)).check?.status).not.toBe('synced');

    const result = await server.app.get(FilePipelineService, { strict: false }).reembed(fileId);
    expect(result).toMatchObject({ embedding: { chunks: 1, contentHash: sha256Hex(shorter) }, removedPoints: before - 1 });
    const points = await server.stores.vectors.getFilePoints(fileId);
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ chunkIndex: 0, chunkCount: 1, contentHash: sha256Hex(shorter) });
    expect((await server.stores.metadata.getByFileId(fileId))?.embedding).toMatchObject({ chunks: 1, contentHash: sha256Hex(shorter) });
    expect(await readAll(await server.stores.objects.getStream(up.body.file_key))).toEqual(Buffer.from(shorter));
  });

  describe('with a store down', () => {
    let broken: TestServer | undefined;
    afterEach(async () => {
      await broken?.close();
      broken = undefined;
    });

    it('upload with S3 down stops after the metadata, answers 207, and leaves missing_object', async () => {
      broken = await startTestServer({ ...env, S3_ENDPOINT: `http://127.0.0.1:${await freePort()}`, STORE_TIMEOUT_MS: '1000' });
      const res = await request(broken.url)
        .post('/api/files')
        .set('Authorization', `Bearer ${broken.token}`)
        .field('user_id', 'gina')
        .attach('file', Buffer.from('hello'), { filename: 'h.txt', contentType: 'text/plain' })
        .expect(207);
      expect(res.body).toMatchObject({ steps: { metadata: 'done', object: 'failed', vectors: 'skipped', embedding: 'skipped' }, failed_step: 'object' });
      const { check: result } = await check(res.body.file_id);
      expect(result?.issues.map((i) => i.type)).toEqual(['missing_object']);
    });

    it('upload with Qdrant down keeps the object, answers 207, and leaves missing_vectors', async () => {
      broken = await startTestServer({ ...env, QDRANT_URL: `http://127.0.0.1:${await freePort()}`, STORE_TIMEOUT_MS: '1000' });
      const res = await request(broken.url)
        .post('/api/files')
        .set('Authorization', `Bearer ${broken.token}`)
        .field('user_id', 'gina')
        .attach('file', Buffer.from('hello vectors'), { filename: 'v.txt', contentType: 'text/plain' })
        .expect(207);
      expect(res.body.steps).toEqual({ metadata: 'done', object: 'done', vectors: 'failed', embedding: 'skipped' });
      const { check: result } = await check(res.body.file_id);
      expect(result?.issues.map((i) => i.type)).toEqual(['missing_vectors']);
    });

    it('delete with Qdrant down answers 207 and leaves deletion_incomplete; repeating it finishes', async () => {
      const up = await upload('gina', 'd.txt', 'delete me').expect(201);
      broken = await startTestServer({ ...env, QDRANT_URL: `http://127.0.0.1:${await freePort()}`, STORE_TIMEOUT_MS: '1000' });
      const res = await request(broken.url).delete(`/api/files/${up.body.file_id}`).set('Authorization', `Bearer ${broken.token}`).expect(207);
      expect(res.body.steps).toEqual({ metadata: 'done', object: 'done', vectors: 'failed', deleted_at: 'skipped' });
      const { check: result } = await check(up.body.file_id);
      expect(result?.issues.map((i) => i.type)).toEqual(['deletion_incomplete']);

      await request(server.url).delete(`/api/files/${up.body.file_id}`).set(auth()).expect(200);
      expect((await check(up.body.file_id)).check?.issues).toEqual([]);
    });
  });
});
