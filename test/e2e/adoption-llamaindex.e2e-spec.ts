import { randomUUID } from 'node:crypto';
import { BaseEmbedding } from '@llamaindex/core/embeddings';
import { NodeRelationship, TextNode } from '@llamaindex/core/schema';
import { QdrantVectorStore } from '@llamaindex/qdrant';
import request from 'supertest';
import { sha256Hex } from '@storesync/core';
import { HashEmbeddingProvider } from '@storesync/ingest';
import { readCollection, writeBucket, writeCollection, writeConfigFile } from '../support/foreign-writers';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';

/**
 * A LlamaIndex.TS deployment: nodes with their metadata at the payload's top level, the
 * text inside `_node_content`, the source document's id in `ref_doc_id` (and "None" for
 * a node without one); metadata in snake_case with epoch-millisecond dates and a
 * `deleted_at` that marks deleted files by being there; keys under `users/<user>/`.
 */

interface Issue {
  id: string;
  type: string;
  file_id?: string;
  file_key?: string;
  user_id: string;
  details: Record<string, unknown>;
}
interface ActionView {
  type: string;
  action: string;
  result: string;
}

const embedder = new HashEmbeddingProvider('hash-v1', 256);

/** LlamaIndex's embedding model for the test: deterministic, no download (storesync's hash features). */
class HashEmbedModel extends BaseEmbedding {
  constructor() {
    super();
  }

  async getTextEmbedding(text: string): Promise<number[]> {
    return embedder.embedOne(text);
  }
}
const old = Date.now() - 3 * 86400_000;
const text = (words: string) => `Notes on ${words}. The ${words} notes repeat ${words} so a query finds them.`;

describe('Adopting a LlamaIndex.TS deployment', () => {
  const env = isolatedStackEnv();
  const collection = `nodes_${randomUUID().slice(0, 8)}`;
  const names = ['synced', 'missingObject', 'missingVectors', 'sizeMismatch', 'checksum', 'stale', 'deleted', 'orphanPoints'] as const;
  type Name = (typeof names)[number];
  const id = Object.fromEntries(names.map((n) => [n, randomUUID()])) as Record<Name, string>;
  const key = (user: string, name: Name) => `users/${user}/${name}.md`;
  const orphanKey = 'users/erin/forgotten.md';
  const bodies: Partial<Record<Name, string>> = {
    synced: text('heron marsh'),
    missingVectors: text('copper kettle'),
    sizeMismatch: text('violet meadow'),
    checksum: text('granite bridge'),
    stale: text('juniper comet'),
    deleted: text('amber dune'),
  };
  let server: TestServer;
  const llama = () => new QdrantVectorStore({ url: env.QDRANT_URL, collectionName: env.QDRANT_COLLECTION, embedModel: new HashEmbedModel() });
  const auth = () => ({ Authorization: `Bearer ${server.token}` });

  const doc = (name: Name, user: string, extra: Record<string, unknown> = {}) => ({
    file_id: id[name],
    user_id: user,
    path: key(user, name),
    name: `${name}.md`,
    bytes: Buffer.byteLength(bodies[name] ?? 'gone'),
    type: 'text/markdown',
    sha256: sha256Hex(Buffer.from(bodies[name] ?? 'gone')),
    created_at: old,
    updated_at: old,
    chunks: 2,
    ...extra,
  });

  const nodes = async (docId: string | null, user: string, chunks: string[]) => {
    const vectors = await embedder.embed(chunks);
    await llama().add(
      chunks.map(
        (chunk, i) =>
          new TextNode<Record<string, unknown>>({
            text: chunk,
            embedding: vectors[i],
            metadata: { user_id: user, file_name: 'x.md' },
            relationships: docId ? { [NodeRelationship.SOURCE]: { nodeId: docId, metadata: {} } } : {},
          }),
      ),
    );
  };

  beforeAll(async () => {
    await writeCollection(env.MONGODB_URI, collection, [
      doc('synced', 'dana'),
      doc('missingObject', 'dana'),
      doc('missingVectors', 'dana'),
      doc('sizeMismatch', 'erin', { bytes: 1 }),
      doc('checksum', 'erin', { sha256: sha256Hex(Buffer.from('another text')) }),
      doc('stale', 'erin'),
      doc('deleted', 'dana', { deleted_at: new Date(old) }),
    ]);
    const objects: Record<string, string> = { [orphanKey]: 'nobody knows me', 'exports/nightly.json': '{}' };
    for (const name of ['synced', 'missingVectors', 'sizeMismatch', 'checksum', 'stale', 'deleted'] as Name[]) {
      objects[key(name === 'sizeMismatch' || name === 'checksum' || name === 'stale' ? 'erin' : 'dana', name)] = bodies[name]!;
    }
    await writeBucket(env.S3_BUCKET, objects);
    await nodes(id.synced, 'dana', ['heron', 'marsh']);
    await nodes(id.missingObject, 'dana', ['lost', 'file']);
    await nodes(id.sizeMismatch, 'erin', ['violet', 'meadow']);
    await nodes(id.checksum, 'erin', ['granite', 'bridge']);
    await nodes(id.stale, 'erin', ['an outdated draft about owls']);
    await nodes(id.deleted, 'dana', ['amber', 'dune']);
    await nodes(id.orphanPoints, 'frank', ['from a file', 'long gone']);
    await nodes(null, 'frank', ['a node without a document', 'another one', 'and a third']);

    const config = writeConfigFile({
      metadata: {
        collection,
        fields: {
          file_key: 'path',
          file_name: 'name',
          file_size: 'bytes',
          content_type: 'type',
          embedding_chunks: 'chunks',
          embedding_model: null,
          embedding_content_hash: null,
        },
        active: { field: 'deleted_at', missing: true },
      },
      objects: { bucket: env.S3_BUCKET, user_from_key: '^users/(?<user_id>[^/]+)/', ignore_prefixes: ['exports/'] },
      vectors: {
        collection: env.QDRANT_COLLECTION,
        layout: 'llamaindex',
        payload: { file_id: 'ref_doc_id', user_id: 'user_id', chunk_index: null, chunk_count: null, content_hash: null, model: null, text: null },
      },
      rules: { not_embedded_content_types: ['image/*'] },
    });
    server = await startTestServer({ ...env, STORESYNC_CONFIG: config });
  });

  afterAll(async () => {
    await server?.close();
  });

  const analyze = async () => {
    const res = await request(server.url).post('/api/sync/analyze').set(auth()).send({ deep: true });
    expect(res.status).toBe(200);
    expect(res.body.partial).toBe(false);
    return res.body as { issues: Issue[]; not_checked: Record<string, number> };
  };
  const types = (issues: Issue[]) => issues.map((i) => `${i.type}:${i.file_id ?? i.file_key ?? i.user_id}`).sort();

  it('finds every planted issue, and nothing else', async () => {
    const run = await analyze();
    expect(types(run.issues)).toEqual(
      [
        `missing_object:${id.missingObject}`,
        `missing_vectors:${id.missingVectors}`,
        `size_mismatch:${id.sizeMismatch}`,
        `checksum_mismatch:${id.checksum}`,
        `stale_vectors:${id.stale}`,
        `deletion_incomplete:${id.deleted}`,
        `orphan_vectors:${id.orphanPoints}`,
        `orphan_object:${orphanKey}`,
        'unmapped_vectors:frank',
      ].sort(),
    );
    expect(run.issues.find((i) => i.type === 'unmapped_vectors')!.details).toMatchObject({ points: 3 });
    expect(run.not_checked.content_hash).toBeGreaterThan(0);
  });

  it("the doctor recognises LlamaIndex's layout and this metadata schema", async () => {
    const res = await request(server.url).get('/api/doctor').set(auth());
    expect(res.status).toBe(200);
    const proposed = res.body.proposed_config;
    expect(res.body.inferred.writer).toBe('llamaindex');
    expect(proposed.vectors).toMatchObject({ layout: 'llamaindex', payload: { file_id: 'ref_doc_id', user_id: 'user_id' } });
    expect(proposed.metadata.fields).toMatchObject({
      file_id: 'file_id',
      file_key: 'path',
      file_name: 'name',
      file_size: 'bytes',
      content_type: 'type',
      created_at: 'created_at',
      embedding_chunks: 'chunks',
    });
    expect(proposed.metadata.active).toEqual({ field: 'deleted_at', missing: true });
    expect(proposed.objects).toMatchObject({ user_from_key: '^users/(?<user_id>[^/]+)/', ignore_prefixes: ['exports/'] });
    expect(res.body.preview.issues_by_type).toMatchObject({ stale_vectors: 1, unmapped_vectors: 3, orphan_vectors: 2 });
  });

  it("repairs so LlamaIndex's own query reads the re-embedded file; a second analysis shows only the rest", async () => {
    await analyze();
    const res = await request(server.url).post('/api/sync/fix').set(auth()).send({ dry_run: false, allow_destructive: true });
    expect(res.status).toBe(200);
    const result = (type: string) => (res.body.actions as ActionView[]).filter((a) => a.type === type).map((a) => `${a.action}:${a.result}`);
    expect(result('stale_vectors')).toEqual(['reembed:done']);
    expect(result('missing_vectors')).toEqual(['reembed:done']);
    expect(result('size_mismatch')).toEqual(['fix_size:done']);
    expect(result('orphan_vectors')).toEqual(['delete_vectors:done']);
    expect(result('unmapped_vectors')).toEqual(['delete_unmapped_points:done']);
    expect(result('orphan_object')).toEqual(['quarantine_object:done']);
    expect(result('deletion_incomplete')).toEqual(['finish_deletion:done']);

    // LlamaIndex rebuilds the node from what storesync wrote: its text, its source document.
    const query = await llama().query({ queryEmbedding: embedder.embedOne('juniper comet'), similarityTopK: 1, mode: 'default' as never });
    const node = query.nodes![0] as TextNode;
    expect(node.text).toBe(bodies.stale);
    expect(node.sourceNode?.nodeId).toBe(id.stale);
    // The old node (a random id, another text) is gone.
    const owls = await llama().query({ queryEmbedding: embedder.embedOne('an outdated draft about owls'), similarityTopK: 20, mode: 'default' as never });
    expect(owls.nodes!.map((n) => (n as TextNode).text)).not.toContain('an outdated draft about owls');

    const docs = new Map((await readCollection(env.MONGODB_URI, collection)).map((d) => [d.file_id as string, d]));
    expect(docs.get(id.sizeMismatch)!.bytes).toBe(Buffer.byteLength(bodies.sizeMismatch!));
    expect(docs.get(id.stale)!.chunks).toBe(1);

    const again = await analyze();
    expect(types(again.issues)).toEqual([`checksum_mismatch:${id.checksum}`, `missing_object:${id.missingObject}`]);
  });
});
