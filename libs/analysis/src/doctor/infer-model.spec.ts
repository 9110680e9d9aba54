import { defaultDataModel } from '@storesync/config';
import { inferKeyLayout, inferMetadata, inferPayload } from './infer-model';

const hex = (n: number) => n.toString(16).padStart(24, '0');
const sha = 'a'.repeat(64);

describe(inferMetadata.name, () => {
  it("finds storesync's own layout in its own documents", () => {
    const docs = [1, 2, 3].map((i) => ({
      _id: hex(i),
      file_id: `f${i}`,
      user_id: 'u',
      file_key: `u/f${i}/a.txt`,
      file_name: 'a.txt',
      file_size: 10,
      content_type: 'text/plain',
      sha256: sha,
      is_active: true,
      embedding: { chunks: 1, model: 'hash-v1', content_hash: sha },
      created_at: new Date(),
      updated_at: new Date(),
      deleted_at: null,
    }));
    const sut = inferMetadata(docs, defaultDataModel().metadata);
    expect(sut.fields).toEqual(defaultDataModel().metadata.fields);
    expect(sut.active).toEqual({ kind: 'flag', field: 'is_active' });
  });

  it('reads a camelCase schema: ObjectId ids, nested storage, a status, string sizes, epoch dates', () => {
    const docs = [1, 2, 3, 4].map((i) => ({
      _id: hex(i),
      ownerId: `user${i}`,
      fileName: 'x.pdf',
      mime: 'application/pdf',
      storage: { key: `t/user${i}/${hex(i)}/x.pdf`, size: String(100 + i) },
      checksum: sha,
      status: i === 4 ? 'deleted' : 'ready',
      createdAt: 1_700_000_000_000 + i,
      ingest: { chunks: 2 },
    }));
    const sut = inferMetadata(docs, defaultDataModel().metadata);
    expect(sut.fields).toMatchObject({
      file_id: '_id',
      user_id: 'ownerId',
      file_key: 'storage.key',
      file_size: 'storage.size',
      content_type: 'mime',
      sha256: 'checksum',
      created_at: 'createdAt',
      embedding_chunks: 'ingest.chunks',
      updated_at: null,
      deleted_at: null,
    });
    expect(sut.active).toEqual({ kind: 'equals', field: 'status', value: 'ready', inactiveValue: 'deleted' });
  });

  it('takes deleted_at as the active rule when only some documents have it', () => {
    const docs = [
      { id: 'a', owner: 'u', path: 'u/a', deleted_at: new Date() },
      { id: 'b', owner: 'u', path: 'u/b' },
    ];
    const sut = inferMetadata(docs, defaultDataModel().metadata);
    expect(sut.fields).toMatchObject({ file_id: 'id', user_id: 'owner', file_key: 'path' });
    expect(sut.active).toEqual({ kind: 'missing', field: 'deleted_at' });
  });

  it('does not take a value of the wrong kind: a text "size" is not the file size', () => {
    const sut = inferMetadata([{ file_id: 'a', size: 'large', bytes: 12 }], defaultDataModel().metadata);
    expect(sut.fields.file_size).toBe('bytes');
  });
});

describe(inferPayload.name, () => {
  it("recognises LangChain's content + metadata", () => {
    const sut = inferPayload([
      { content: 'text', metadata: { file_id: hex(1), user_id: 'u', source: 'x' } },
      { content: 't2', metadata: { file_id: hex(2), user_id: 'u' } },
    ]);
    expect(sut.writer).toBe('langchain');
    expect(sut.layout).toBe('plain');
    expect(sut.payload).toEqual({
      file_id: 'metadata.file_id',
      user_id: 'metadata.user_id',
      chunk_index: null,
      chunk_count: null,
      content_hash: null,
      model: null,
      text: 'content',
    });
  });

  it("recognises LlamaIndex's node payload", () => {
    const node = { _node_content: '{"text":"x"}', _node_type: 'TextNode', ref_doc_id: 'doc-1', doc_id: 'doc-1', document_id: 'doc-1', user_id: 'u' };
    const sut = inferPayload([node, { ...node, ref_doc_id: 'doc-2' }]);
    expect(sut).toMatchObject({ writer: 'llamaindex', layout: 'llamaindex', payload: { file_id: 'ref_doc_id', user_id: 'user_id', text: null } });
  });

  it("recognises storesync's own points", () => {
    const sut = inferPayload([{ file_id: 'f', user_id: 'u', chunk_index: 0, chunk_count: 1, content_hash: sha, model: 'm', text: 't' }]);
    expect(sut.writer).toBe('storesync');
    expect(sut.payload).toEqual(defaultDataModel().vectors.payload);
  });
});

describe(inferKeyLayout.name, () => {
  it('finds the user after a constant tenant prefix, and every other top-level prefix as ignored', () => {
    const records = ['alice', 'bob', 'carol'].map((u) => ({ userId: u, fileKey: `tenant-a/${u}/f/x.txt` }));
    const sut = inferKeyLayout(records, ['exports/', 'quarantine/', 'tenant-a/', 'thumbnails/'], 'quarantine/');
    expect(sut).toEqual({ userFromKey: '^tenant-a/(?<user_id>[^/]+)/', ignorePrefixes: ['exports/', 'thumbnails/'], agreement: 1 });
    expect(new RegExp(sut.userFromKey).exec('tenant-a/bob/x')?.groups?.user_id).toBe('bob');
  });

  it('keeps the user first when keys start with it, ignoring only prefixes named like derived data', () => {
    const records = ['alice', 'bob'].map((u) => ({ userId: u, fileKey: `${u}/f/x.txt` }));
    const sut = inferKeyLayout(records, ['alice/', 'bob/', 'dave/', 'previews/'], 'quarantine/');
    expect(sut.userFromKey).toBe('^(?<user_id>[^/]+)/');
    // dave has no document in the sample but may have files: never proposed as ignored.
    expect(sut.ignorePrefixes).toEqual(['previews/']);
  });

  it('uses a wildcard segment when what precedes the user varies', () => {
    const records = [
      { userId: 'alice', fileKey: 'eu/alice/x' },
      { userId: 'bob', fileKey: 'us/bob/y' },
    ];
    expect(inferKeyLayout(records, [], 'quarantine/').userFromKey).toBe('^[^/]+/(?<user_id>[^/]+)/');
  });
});
