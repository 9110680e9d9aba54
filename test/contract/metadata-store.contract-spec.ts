import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareUtf8, StoreError, StoreErrorCode, StoreUnavailableError } from '@storesync/core';
import { loadDataModel } from '@storesync/config';
import { LocalMetadataStore, MetadataStore, MongoMetadataStore } from '@storesync/storage';
import { factories, uniqueName } from '../support/factories';
import { freePort } from '../support/stack';

const fail = (problems: string[]): never => {
  throw new Error(problems.join('; '));
};

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

interface Harness {
  name: string;
  create(): Promise<MetadataStore>;
  /** A store whose server is not there. */
  createUnreachable(): Promise<MetadataStore>;
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const harnesses: Harness[] = [
  {
    name: 'LocalMetadataStore',
    async create() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-contract-'));
      tempDirs.push(dataDir);
      return new LocalMetadataStore({ dataDir, collection: 'files' });
    },
    async createUnreachable() {
      const store = await this.create();
      await store.init();
      await store.close();
      return store;
    },
  },
  {
    name: 'MongoMetadataStore',
    async create() {
      const uri = process.env.MONGODB_URI;
      if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts FerretDB');
      return new MongoMetadataStore({ uri, filesCollection: uniqueName('files'), timeoutMs: 5000 });
    },
    async createUnreachable() {
      const port = await freePort();
      return new MongoMetadataStore({ uri: `mongodb://127.0.0.1:${port}/x`, filesCollection: 'files', timeoutMs: 500 });
    },
  },
];

describe.each(harnesses)('MetadataStore contract: $name', (harness) => {
  let sut: MetadataStore;

  beforeEach(async () => {
    sut = await harness.create();
    await sut.init();
  });
  afterEach(() => sut.close());

  it('starts empty', async () => {
    expect(await collect(sut.streamFiles())).toEqual([]);
    expect(await sut.count()).toBe(0);
    expect(await sut.countsByUser()).toEqual([]);
    expect(await sut.getByFileId('nope')).toBeNull();
  });

  it('init is idempotent', async () => {
    await sut.init();
    await sut.upsert(factories.file());
    await sut.init();
    expect(await sut.count()).toBe(1);
  });

  it('round-trips every field, snake_case on the wire, camelCase in code', async () => {
    const record = factories.file({
      sha256: 'ab'.repeat(32),
      embedding: { chunks: 3, model: 'hash-v1', contentHash: 'cd'.repeat(32) },
      deletedAt: new Date('2026-01-02T03:04:05.000Z'),
      isActive: false,
    });
    await sut.upsert(record);
    expect(await sut.getByFileId(record.fileId)).toEqual(record);
    expect(await sut.getByKey(record.fileKey)).toEqual(record);
    // A scan streams only the record's fields: none may be left out.
    expect(await collect(sut.streamFiles())).toEqual([record]);
  });

  it('reads many records by file id at once, leaving out the absent ones', async () => {
    const records = [factories.file(), factories.file(), factories.file({ userId: 'other' })];
    for (const record of records) await sut.upsert(record);
    const found = await sut.getByFileIds([records[0].fileId, records[2].fileId, 'never-existed']);
    expect([...found.keys()].sort()).toEqual([records[0].fileId, records[2].fileId].sort());
    expect(found.get(records[2].fileId)?.userId).toBe('other');
    expect((await sut.getByFileIds([])).size).toBe(0);
  });

  it('upsert is idempotent and replaces', async () => {
    const record = factories.file();
    await sut.upsert(record);
    await sut.upsert(record);
    await sut.upsert({ ...record, fileName: 'renamed.txt' });
    expect(await sut.count()).toBe(1);
    expect((await sut.getByFileId(record.fileId))?.fileName).toBe('renamed.txt');
  });

  it('streams every record in UTF-8 byte order of file_key, across pages', async () => {
    const keys = ['b', 'a/b', 'a\uFFFD', 'a\u{10000}', 'é', 'e', 'ab', '\u{1F4A9}x', '\uE000', 'Z', 'a\uFF21', 'a\u{1F600}'];
    for (let i = 0; i < 30; i++) keys.push(`k/${String(i).padStart(3, '0')}`);
    for (const fileKey of [...keys].reverse()) await sut.upsert(factories.file({ fileKey }));
    const streamed = await collect(sut.streamFiles({ batchSize: 7 }));
    expect(streamed.map((r) => r.fileKey)).toEqual([...keys].sort(compareUtf8));
  });

  it('scopes streams and counts to one user', async () => {
    await sut.upsert(factories.file({ userId: 'alice', fileKey: 'alice/2' }));
    await sut.upsert(factories.file({ userId: 'alice', fileKey: 'alice/1', isActive: false }));
    await sut.upsert(factories.file({ userId: 'bob', fileKey: 'bob/1' }));
    const alice = await collect(sut.streamFiles({ userId: 'alice', batchSize: 1 }));
    expect(alice.map((r) => r.fileKey)).toEqual(['alice/1', 'alice/2']);
    expect(await sut.count({ userId: 'bob' })).toBe(1);
    // An estimate may use collection statistics, but a scoped one is still exact.
    expect(await sut.count({ userId: 'bob', estimate: true })).toBe(1);
    expect(await sut.count({ estimate: true })).toBe(3);
    expect(await sut.countsByUser()).toEqual([
      { userId: 'alice', total: 2, active: 1 },
      { userId: 'bob', total: 1, active: 1 },
    ]);
    await sut.upsert(factories.file({ userId: 'carol', fileKey: 'carol/1', isActive: false }));
    // A page of users after a cursor, its active counts its own.
    expect(await sut.countsByUser({ afterUserId: 'alice', limit: 1 })).toEqual([{ userId: 'bob', total: 1, active: 1 }]);
    expect(await sut.countsByUser({ afterUserId: 'bob' })).toEqual([{ userId: 'carol', total: 1, active: 0 }]);
    expect(await sut.countsByUser({ limit: 2 })).toHaveLength(2);
  });

  it('marks inactive, updates size and patches, reporting absent files', async () => {
    const record = factories.file();
    await sut.upsert(record);
    const at = new Date('2026-03-04T05:06:07.000Z');
    expect(await sut.markInactive(record.fileId, at)).toBe(true);
    expect(await sut.updateSize(record.fileId, 4242)).toBe(true);
    expect(await sut.update(record.fileId, { embedding: { chunks: 2, model: 'm', contentHash: 'h' } })).toBe(true);
    const stored = await sut.getByFileId(record.fileId);
    expect(stored).toMatchObject({ isActive: false, fileSize: 4242, embedding: { chunks: 2, model: 'm', contentHash: 'h' } });
    expect(await sut.markInactive('absent')).toBe(false);
    expect(await sut.updateSize('absent', 1)).toBe(false);
  });

  it('patches many records at once, each its own patch, counting only the ones found', async () => {
    // More than one bulk write of the Mongo adapter (50 updates each).
    const records = Array.from({ length: 57 }, (_, i) => factories.file({ fileKey: `bulk/${String(i).padStart(2, '0')}` }));
    for (const record of records) await sut.upsert(record);
    const updates = records.map((record, i) => ({ fileId: record.fileId, patch: { embedding: { chunks: i + 1, model: 'bulk', contentHash: `h${i}` } } }));
    expect(await sut.updateMany([...updates, { fileId: 'absent', patch: { fileSize: 1 } }])).toEqual({ matched: records.length, refused: new Map() });
    const stored = await sut.getByFileIds(records.map((r) => r.fileId));
    expect(records.map((r) => stored.get(r.fileId)?.embedding)).toEqual(updates.map((u) => u.patch.embedding));
    // Only the patched field changed, and the record's updatedAt, as any update stamps it.
    expect(stored.get(records[3].fileId)).toEqual({ ...records[3], embedding: updates[3].patch.embedding, updatedAt: expect.any(Date) });
    expect(stored.get(records[3].fileId)!.updatedAt.getTime()).toBeGreaterThan(records[3].updatedAt.getTime());
    expect(await sut.getByFileId('absent')).toBeNull();
    expect(await sut.updateMany([])).toEqual({ matched: 0, refused: new Map() });
  });

  it('keeps unicode ids and keys intact', async () => {
    const record = factories.file({ fileId: 'ファイル-😀', userId: 'usér', fileKey: 'usér/ファイル 😀.txt' });
    await sut.upsert(record);
    expect(await sut.getByFileId('ファイル-😀')).toEqual(record);
    expect(await sut.count({ userId: 'usér' })).toBe(1);
  });

  it('reports an unreachable store as unavailable, never as empty', async () => {
    const down = await harness.createUnreachable();
    await expect(down.count()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(down.getByFileId('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(collect(down.streamFiles())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(down.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await down.close().catch(() => undefined);
  });
});

describe('MongoMetadataStore refusals', () => {
  it('refuses only the document whose fields do not fit the patch, updating the rest, and says so as invalid, not unavailable', async () => {
    const mongoose = (await import('mongoose')).default;
    const collection = uniqueName('refusals');
    const sut = new MongoMetadataStore({ uri: process.env.MONGODB_URI!, filesCollection: collection, timeoutMs: 5000 });
    const raw = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    try {
      await sut.init();
      const records = Array.from({ length: 60 }, (_, i) => factories.file({ fileKey: `refuse/${String(i).padStart(2, '0')}` }));
      for (const record of records) await sut.upsert(record);
      // The backend wrote a string where storesync keeps the embedding's fields: `embedding.chunks` cannot be set in it.
      const garbage = records[53];
      await raw.collection(collection).updateOne({ file_id: garbage.fileId }, { $set: { embedding: 'not an object' } });
      const embedding = { chunks: 4, model: 'bulk', contentHash: 'c'.repeat(64) };
      const result = await sut.updateMany(records.map((record) => ({ fileId: record.fileId, patch: { embedding } })));
      expect(result.matched).toBe(records.length - 1);
      expect([...result.refused.keys()]).toEqual([garbage.fileId]);
      const refusal = result.refused.get(garbage.fileId)!;
      expect(refusal).toBeInstanceOf(StoreError);
      expect(refusal.code).toBe(StoreErrorCode.Invalid);
      expect(refusal.message).toMatch(/^mongodb refused to write the document: \w+ \(code \d+\)/);
      const stored = await sut.getByFileIds(records.map((r) => r.fileId));
      expect(records.filter((r) => r !== garbage).every((r) => stored.get(r.fileId)?.embedding?.contentHash === embedding.contentHash)).toBe(true);
      expect((await raw.collection(collection).findOne({ file_id: garbage.fileId }))?.embedding).toBe('not an object');
      // One record alone, through update(): the same refusal, never reported as an outage.
      await expect(sut.update(garbage.fileId, { embedding })).rejects.toMatchObject({ code: StoreErrorCode.Invalid });
    } finally {
      await sut.close();
      await raw.close();
    }
  });
});

describe('MongoMetadataStore field names', () => {
  it("reads and writes the deployment's own field names (MONGODB_FIELD_MAP)", async () => {
    const mongoose = (await import('mongoose')).default;
    const collection = uniqueName('renamed');
    const sut = new MongoMetadataStore({
      uri: process.env.MONGODB_URI!,
      filesCollection: collection,
      mapping: loadDataModel({ MONGODB_FIELD_MAP: JSON.stringify({ file_key: 's3_key', file_size: 'bytes' }) }, fail, null).metadata,
      timeoutMs: 5000,
    });
    const raw = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    try {
      await sut.init();
      const record = factories.file({ fileKey: 'u/renamed.txt', fileSize: 77 });
      await sut.upsert(record);
      const stored = await raw.collection(collection).findOne({ file_id: record.fileId });
      expect(stored).toMatchObject({ s3_key: 'u/renamed.txt', bytes: 77, user_id: record.userId });
      expect(stored).not.toHaveProperty('file_key');
      // A document the backend wrote with its own names streams back in key order.
      await raw.collection(collection).insertOne({ file_id: 'from-backend', user_id: 'u', s3_key: 'u/a-first.txt', bytes: '12', is_active: true });
      const streamed = await collect(sut.streamFiles());
      expect(streamed.map((r) => [r.fileKey, r.fileSize])).toEqual([
        ['u/a-first.txt', 12],
        ['u/renamed.txt', 77],
      ]);
    } finally {
      await sut.close();
      await raw.close();
    }
  });
});
