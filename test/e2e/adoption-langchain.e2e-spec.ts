import { randomUUID } from 'node:crypto';
import { Document } from '@langchain/core/documents';
import { QdrantVectorStore } from '@langchain/qdrant';
import { ObjectId } from 'mongodb';
import request from 'supertest';
import { sha256Hex } from '@storesync/core';
import { HashEmbeddings, readCollection, writeBucket, writeCollection, writeConfigFile } from '../support/foreign-writers';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';

/**
 * A deployment storesync did not write: a camelCase MongoDB collection (ObjectId ids, a
 * status field, nested storage.key / storage.size as a string), a bucket with keys under
 * a tenant prefix and thumbnails/ and exports/ beside the files, and points written by
 * LangChain.js (`content` + `metadata.*`, random UUID ids, no chunk index or hash).
 */

interface Issue {
  id: string;
  type: string;
  file_id: string | null;
  file_key: string | null;
  user_id: string;
  details: Record<string, unknown>;
}
interface ActionView {
  type: string;
  action: string;
  result: string;
  reason?: string;
}

const TENANT = 'tenant-a';
const old = new Date(Date.now() - 3 * 86400_000);

function text(words: string): string {
  return `Report about ${words}. It mentions ${words} twice so a search for ${words} finds it.`;
}

describe('Adopting a LangChain deployment with its own MongoDB schema and bucket layout', () => {
  const env = isolatedStackEnv();
  const collection = `docs_${randomUUID().slice(0, 8)}`;
  const ids = {
    synced: new ObjectId(),
    missingObject: new ObjectId(),
    missingVectors: new ObjectId(),
    sizeMismatch: new ObjectId(),
    checksum: new ObjectId(),
    stale: new ObjectId(),
    deleted: new ObjectId(),
    orphanPoints: new ObjectId(),
    image: new ObjectId(),
  };
  const hex = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, id.toHexString()])) as Record<keyof typeof ids, string>;
  const orphanKey = `${TENANT}/bob/${new ObjectId().toHexString()}/left-behind.txt`;
  const key = (user: string, name: keyof typeof ids) => `${TENANT}/${user}/${hex[name]}/${name}.txt`;
  const bodies: Partial<Record<keyof typeof ids, string>> = {
    synced: text('walrus harbour'),
    missingVectors: text('quince orchard'),
    sizeMismatch: text('tangerine lantern'),
    checksum: text('obsidian mirror'),
    stale: text('alpaca saffron'),
    deleted: text('basalt quarry'),
    image: 'not really a png',
  };
  let server: TestServer;
  let langchain: QdrantVectorStore;
  let configFile: string;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });

  const doc = (name: keyof typeof ids, user: string, extra: Record<string, unknown> = {}) => ({
    _id: ids[name],
    ownerId: user,
    fileName: `${name}.txt`,
    mime: 'text/plain',
    storage: { key: key(user, name), size: String(Buffer.byteLength(bodies[name] ?? 'gone')) },
    checksum: sha256Hex(Buffer.from(bodies[name] ?? 'gone')),
    status: 'ready',
    // Another writer's dates: a Date, an ISO string, epoch milliseconds.
    createdAt: old,
    updatedAt: old.toISOString(),
    ingest: { chunks: 2 },
    ...extra,
  });

  const addPoints = async (fileId: string, user: string, chunks: string[]) => {
    await langchain.addDocuments(chunks.map((pageContent) => new Document({ pageContent, metadata: { file_id: fileId, user_id: user, source: 'upload' } })));
  };

  beforeAll(async () => {
    await writeCollection(env.MONGODB_URI, collection, [
      doc('synced', 'alice'),
      doc('missingObject', 'alice'),
      doc('missingVectors', 'alice'),
      // The recorded size is wrong; the checksum proves the object right.
      doc('sizeMismatch', 'bob', { storage: { key: key('bob', 'sizeMismatch'), size: '3' } }),
      doc('checksum', 'bob', { checksum: sha256Hex(Buffer.from('what the backend meant to store')) }),
      doc('stale', 'bob'),
      doc('deleted', 'alice', { status: 'deleted', updatedAt: old.getTime() }),
      doc('image', 'alice', { mime: 'image/png', ingest: { chunks: 0 } }),
    ]);
    await writeBucket(env.S3_BUCKET, {
      [key('alice', 'synced')]: bodies.synced!,
      [key('alice', 'missingVectors')]: bodies.missingVectors!,
      [key('bob', 'sizeMismatch')]: bodies.sizeMismatch!,
      [key('bob', 'checksum')]: bodies.checksum!,
      [key('bob', 'stale')]: bodies.stale!,
      [key('alice', 'deleted')]: bodies.deleted!,
      [key('alice', 'image')]: bodies.image!,
      [orphanKey]: 'nobody refers to me',
      // Not files: never scanned, never orphans.
      [`thumbnails/${hex.synced}.png`]: 'thumb',
      [`exports/2026/all.csv`]: 'a,b',
    });
    langchain = new QdrantVectorStore(new HashEmbeddings(), { url: env.QDRANT_URL, collectionName: env.QDRANT_COLLECTION });
    await addPoints(hex.synced, 'alice', ['Report about walrus harbour.', 'It mentions walrus harbour twice.']);
    await addPoints(hex.missingObject, 'alice', ['gone one', 'gone two']);
    await addPoints(hex.sizeMismatch, 'bob', ['tangerine', 'lantern']);
    await addPoints(hex.checksum, 'bob', ['obsidian', 'mirror']);
    // Three points where the metadata says two: stale, and their ids are random UUIDs.
    await addPoints(hex.stale, 'bob', ['an old version about llamas', 'of the file', 'with three chunks']);
    await addPoints(hex.deleted, 'alice', ['basalt', 'quarry']);
    await addPoints(hex.orphanPoints, 'carol', ['points of a file', 'no document refers to']);
    // Written without the metadata the mapping reads: no file id at all.
    await langchain.addDocuments([
      new Document({ pageContent: 'a note', metadata: { source: 'notes' } }),
      new Document({ pageContent: 'another note', metadata: {} }),
    ]);

    configFile = writeConfigFile({
      metadata: {
        collection,
        fields: {
          file_id: '_id',
          user_id: 'ownerId',
          file_key: 'storage.key',
          file_name: 'fileName',
          file_size: 'storage.size',
          content_type: 'mime',
          sha256: 'checksum',
          created_at: 'createdAt',
          updated_at: 'updatedAt',
          deleted_at: 'deletedAt',
          embedding_chunks: 'ingest.chunks',
          embedding_model: null,
          embedding_content_hash: null,
        },
        active: { field: 'status', equals: 'ready', inactive_value: 'deleted' },
      },
      objects: { bucket: env.S3_BUCKET, user_from_key: `^${TENANT}/(?<user_id>[^/]+)/`, ignore_prefixes: ['thumbnails/', 'exports/'] },
      vectors: {
        collection: env.QDRANT_COLLECTION,
        payload: {
          file_id: 'metadata.file_id',
          user_id: 'metadata.user_id',
          chunk_index: null,
          chunk_count: null,
          content_hash: null,
          model: null,
          text: 'content',
        },
      },
    });
    // The collection and field names come from the file alone (the bucket and Qdrant
    // collection variables, set to the same names, would win over it).
    server = await startTestServer({ ...env, STORESYNC_CONFIG: configFile });
  });

  afterAll(async () => {
    await server?.close();
  });

  const analyze = async (body: Record<string, unknown> = { deep: true }) => {
    const res = await request(server.url).post('/api/sync/analyze').set(auth()).send(body);
    expect(res.status).toBe(200);
    expect(res.body.partial).toBe(false);
    return res.body as { issues: Issue[]; not_checked: Record<string, number>; ignored_objects: number; stores: Record<string, { count: number }> };
  };
  const types = (issues: Issue[]) => issues.map((i) => `${i.type}:${i.file_id ?? i.file_key ?? i.user_id}`).sort();

  it('finds every planted issue, and nothing else', async () => {
    const run = await analyze();
    expect(types(run.issues)).toEqual(
      [
        `missing_object:${hex.missingObject}`,
        `missing_vectors:${hex.missingVectors}`,
        `size_mismatch:${hex.sizeMismatch}`,
        `checksum_mismatch:${hex.checksum}`,
        `stale_vectors:${hex.stale}`,
        `deletion_incomplete:${hex.deleted}`,
        `orphan_vectors:${hex.orphanPoints}`,
        `orphan_object:${orphanKey}`,
        'unmapped_vectors:',
      ].sort(),
    );
    const orphan = run.issues.find((i) => i.type === 'orphan_object')!;
    expect(orphan.user_id).toBe('bob');
    const unmapped = run.issues.find((i) => i.type === 'unmapped_vectors')!;
    expect(unmapped.details).toMatchObject({ points: 2, listed: 2 });
    const stale = run.issues.find((i) => i.type === 'stale_vectors')!;
    expect(stale.details.reasons).toEqual(['point_count']);
    // LangChain stores no hash, chunk index or model: those checks are reported as not made.
    expect(run.not_checked.content_hash).toBeGreaterThan(0);
    expect(run.not_checked.chunk_count).toBeGreaterThan(0);
    expect(run.ignored_objects).toBe(2);
  });

  it('scans one user by the tenant prefix', async () => {
    const run = await analyze({ user_id: 'alice', deep: true });
    expect(types(run.issues)).toEqual([`deletion_incomplete:${hex.deleted}`, `missing_object:${hex.missingObject}`, `missing_vectors:${hex.missingVectors}`]);
    // alice's three objects (synced, missingVectors, deleted) and her image: nothing of bob's, no thumbnails.
    expect(run.stores.s3.count).toBe(4);
  });

  it("the doctor infers this deployment's model from samples of the three stores", async () => {
    const res = await request(server.url).get('/api/doctor').set(auth());
    expect(res.status).toBe(200);
    const proposed = res.body.proposed_config;
    expect(proposed.metadata.fields).toMatchObject({
      file_id: '_id',
      user_id: 'ownerId',
      file_key: 'storage.key',
      file_name: 'fileName',
      file_size: 'storage.size',
      content_type: 'mime',
      sha256: 'checksum',
      created_at: 'createdAt',
      updated_at: 'updatedAt',
      embedding_chunks: 'ingest.chunks',
    });
    expect(proposed.metadata.active).toMatchObject({ field: 'status', equals: 'ready', inactive_value: 'deleted' });
    expect(proposed.objects).toMatchObject({ user_from_key: '^tenant-a/(?<user_id>[^/]+)/', ignore_prefixes: ['exports/', 'thumbnails/'] });
    expect(proposed.vectors.payload).toMatchObject({
      file_id: 'metadata.file_id',
      user_id: 'metadata.user_id',
      text: 'content',
      chunk_index: null,
      content_hash: null,
    });
    expect(res.body.inferred.writer).toBe('langchain');
    expect(res.body.inferred.vectors.vectors).toEqual([{ name: null, size: 256, distance: 'Cosine' }]);
    expect(res.body.proposed_yaml).toContain('file_key: storage.key');
    // The preview is the analysis this model gives: the planted issues, no flood of orphans.
    expect(res.body.preview).toMatchObject({
      partial: false,
      files: 8,
      objects: 8,
      issues_by_type: { stale_vectors: 1, orphan_vectors: 2, unmapped_vectors: 2, orphan_object: 1 },
    });
    expect(res.body.warnings.join('\n')).not.toMatch(/no matching file/);
    expect(res.body.warnings.join('\n')).toMatch(/not checked .*content_hash/);
    const active = await request(server.url).get('/api/data-model').set(auth());
    expect(active.body.config.metadata.fields.file_key).toBe('storage.key');
    expect(active.body.source).toMatch(/storesync\.config\.yaml$/);
  });

  it('the doctor warns when the points cannot belong to these files (the wrong collection)', async () => {
    const other = `${env.QDRANT_COLLECTION}_other`;
    const store = new QdrantVectorStore(new HashEmbeddings(), { url: env.QDRANT_URL, collectionName: other });
    await store.addDocuments(
      Array.from(
        { length: 20 },
        (_, i) => new Document({ pageContent: `unrelated ${i}`, metadata: { file_id: new ObjectId().toHexString(), user_id: 'zed' } }),
      ),
    );
    const wrong = await startTestServer({ ...env, QDRANT_COLLECTION: other, STORESYNC_CONFIG: configFile });
    try {
      const res = await request(wrong.url)
        .get('/api/doctor')
        .set({ Authorization: `Bearer ${wrong.token}` });
      expect(res.status).toBe(200);
      expect(res.body.warnings.join('\n')).toMatch(/100% of points have no matching file: is vectors\.payload\.file_id \(metadata\.file_id\) the right field/);
    } finally {
      await wrong.close();
    }
  });

  it("repairs what can be repaired so LangChain's own retriever reads the result; a second analysis shows only the rest", async () => {
    const planned = await analyze();
    const res = await request(server.url).post('/api/sync/fix').set(auth()).send({ dry_run: false, allow_destructive: true });
    expect(res.status).toBe(200);
    const actions = res.body.actions as ActionView[];
    const result = (type: string) => actions.filter((a) => a.type === type).map((a) => `${a.action}:${a.result}`);
    expect(result('stale_vectors')).toEqual(['reembed:done']);
    expect(result('missing_vectors')).toEqual(['reembed:done']);
    expect(result('size_mismatch')).toEqual(['fix_size:done']);
    expect(result('orphan_vectors')).toEqual(['delete_vectors:done']);
    expect(result('unmapped_vectors')).toEqual(['delete_unmapped_points:done']);
    expect(result('orphan_object')).toEqual(['quarantine_object:done']);
    expect(result('deletion_incomplete')).toEqual(['finish_deletion:done']);
    // No previous version and no backup: these need a person.
    expect(result('missing_object')).toEqual(['restore_object:skipped']);
    expect(result('checksum_mismatch')).toEqual(['restore_object:skipped']);
    expect(planned.issues).toHaveLength(9);

    // The re-embedded file is found by LangChain's similarity search, with its text and metadata.
    const [found] = await langchain.similaritySearch('alpaca saffron', 1);
    expect(found.pageContent).toBe(bodies.stale);
    expect(found.metadata).toMatchObject({ file_id: hex.stale, user_id: 'bob' });
    const quince = await langchain.similaritySearch('quince orchard', 1, { must: [{ key: 'metadata.file_id', match: { value: hex.missingVectors } }] });
    expect(quince.map((d) => d.pageContent)).toEqual([bodies.missingVectors]);
    // Every old point of the stale file is gone, whatever its id; nothing of the llama text remains.
    const llamas = await langchain.similaritySearch('an old version about llamas', 10, { must: [{ key: 'metadata.file_id', match: { value: hex.stale } }] });
    expect(llamas.map((d) => d.pageContent)).toEqual([bodies.stale]);

    // The writes follow the deployment's schema: the nested size (a number now), its chunk count, its delete markers.
    const docs = new Map((await readCollection(env.MONGODB_URI, collection)).map((d) => [String(d._id), d]));
    expect((docs.get(hex.sizeMismatch)!.storage as { size: unknown }).size).toBe(Buffer.byteLength(bodies.sizeMismatch!));
    expect(docs.get(hex.stale)!.ingest).toEqual({ chunks: 1 });
    expect(docs.get(hex.deleted)).toMatchObject({ status: 'deleted', deletedAt: expect.any(Date) });
    expect(docs.get(hex.synced)).not.toHaveProperty('file_id');

    const again = await analyze();
    expect(types(again.issues)).toEqual([`checksum_mismatch:${hex.checksum}`, `missing_object:${hex.missingObject}`]);
  });
});
