import { defaultDataModel } from '@storesync/config';
import { LocalVectorStore, QdrantVectorStore } from '@storesync/storage';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { pointId, sha256Hex, StoreError, StoreErrorCode, StoreUnavailableError, VectorPoint } from '@storesync/core';
import type { VectorStore } from '@storesync/storage';
import { startQdrantStandin } from '../support/qdrant-standin';
import { freePort } from '../support/stack';

const DIMENSION = 8;
const RUN = `contract_vectors_${process.pid}_${Date.now().toString(36)}`;

interface VectorStoreHarness {
  /** A store on a fresh, not yet initialised collection. */
  create(): Promise<VectorStore>;
  /** Stores that cannot answer, each with a label saying why. */
  unreachable(): Promise<Array<{ why: string; store: VectorStore }>>;
}

/** One seed point; the vector is a unit axis plus a small tilt so search order is known. */
function seedPoint(fileId: string, chunkIndex: number, options: { userId?: string; axis?: number; chunkCount?: number } = {}): VectorPoint {
  const vector = Array.from({ length: DIMENSION }, (_, i) => (i === (options.axis ?? chunkIndex) % DIMENSION ? 1 : 0.01 * i));
  return {
    id: pointId(fileId, chunkIndex),
    fileId,
    userId: options.userId ?? 'user-a',
    chunkIndex,
    chunkCount: options.chunkCount ?? 3,
    contentHash: sha256Hex(fileId),
    model: 'test-model',
    text: `chunk ${chunkIndex} of ${fileId}`,
    vector,
  };
}

const seedFile = (fileId: string, chunks: number, userId = 'user-a') =>
  Array.from({ length: chunks }, (_, i) => seedPoint(fileId, i, { userId, chunkCount: chunks }));

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const result: T[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

async function expectUnavailable(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(StoreUnavailableError);
  await promise.catch((error: StoreError) => expect(error).toMatchObject({ code: StoreErrorCode.Unavailable, store: 'qdrant' }));
}

/** Every read and write a scan or repair relies on must fail typed, never look empty. */
async function expectEveryCallUnavailable(store: VectorStore): Promise<void> {
  await expectUnavailable(collect(store.scrollPointRefs({ pageSize: 5 })));
  await expectUnavailable(store.getFilePoints('file-1'));
  await expectUnavailable(store.count());
  await expectUnavailable(store.count({ userId: 'user-a' }));
  await expectUnavailable(store.search(seedPoint('q', 0).vector, { limit: 3 }));
  await expectUnavailable(store.upsert(seedFile('file-1', 2)));
  await expectUnavailable(store.deleteByFileId('file-1'));
  await expectUnavailable(store.deletePoints([pointId('file-1', 0)]));
  await expectUnavailable(store.ping());
}

function vectorStoreContract(name: string, harness: () => VectorStoreHarness): void {
  describe(`VectorStore contract: ${name}`, () => {
    let sut: VectorStore;

    beforeEach(async () => {
      sut = await harness().create();
      await sut.init(DIMENSION);
    });

    afterEach(async () => {
      await sut.close();
    });

    it('starts empty', async () => {
      expect(await collect(sut.scrollPointRefs())).toEqual([]);
      expect(await sut.count()).toBe(0);
      expect(await sut.getFilePoints('file-1')).toEqual([]);
      expect(await sut.search(seedPoint('q', 0).vector, { limit: 5 })).toEqual([]);
      await expect(sut.ping()).resolves.toBeUndefined();
    });

    it('init is idempotent and keeps the points; another dimension is a conflict', async () => {
      await sut.upsert(seedFile('file-1', 3));
      await sut.init(DIMENSION);
      expect(await sut.count()).toBe(3);
      await expect(sut.init(DIMENSION + 1)).rejects.toMatchObject({ code: StoreErrorCode.Conflict });
    });

    it('returns a file’s points ordered by chunk index, without vectors or text', async () => {
      const points = seedFile('file-1', 5);
      await sut.upsert([points[3], points[0], points[4], points[2], points[1]]);
      await sut.upsert(seedFile('file-2', 2));
      const refs = await sut.getFilePoints('file-1');
      expect(refs.map((ref) => ref.chunkIndex)).toEqual([0, 1, 2, 3, 4]);
      expect(refs[2]).toEqual({
        id: pointId('file-1', 2),
        fileId: 'file-1',
        userId: 'user-a',
        chunkIndex: 2,
        chunkCount: 5,
        contentHash: sha256Hex('file-1'),
        model: 'test-model',
      });
    });

    it('upserts idempotently: same ids replace, never duplicate', async () => {
      await sut.upsert(seedFile('file-1', 3));
      const changed = seedFile('file-1', 3).map((point) => ({ ...point, contentHash: 'new-hash' }));
      await sut.upsert(changed);
      await sut.upsert(changed);
      expect(await sut.count()).toBe(3);
      expect((await sut.getFilePoints('file-1')).map((ref) => ref.contentHash)).toEqual(['new-hash', 'new-hash', 'new-hash']);
    });

    it('deletes points by id, and deleting again or deleting unknown ids is fine', async () => {
      await sut.upsert(seedFile('file-1', 4));
      const doomed = [pointId('file-1', 1), pointId('file-1', 3)];
      await sut.deletePoints(doomed);
      await sut.deletePoints(doomed);
      await sut.deletePoints([pointId('nope', 0)]);
      await sut.deletePoints([]);
      expect((await sut.getFilePoints('file-1')).map((ref) => ref.chunkIndex)).toEqual([0, 2]);
    });

    it('deleteByFileId removes only that file, and succeeds when nothing is left', async () => {
      await sut.upsert([...seedFile('file-1', 3), ...seedFile('file-10', 2), ...seedFile('file-2', 2, 'user-b')]);
      await sut.deleteByFileId('file-1');
      await sut.deleteByFileId('file-1');
      await sut.deleteByFileId('never-existed');
      expect(await sut.getFilePoints('file-1')).toEqual([]);
      expect(await sut.count({ fileId: 'file-10' })).toBe(2);
      expect(await sut.count({ fileId: 'file-2' })).toBe(2);
    });

    it('reads and deletes the points of many files at once, exactly those files', async () => {
      await sut.upsert([...seedFile('file-1', 3), ...seedFile('file-10', 2), ...seedFile('file-2', 2, 'user-b'), ...seedFile('file-3', 1)]);
      const found = await sut.getPointsOfFiles(['file-1', 'file-2', 'never-existed']);
      expect([...found.keys()].sort()).toEqual(['file-1', 'file-2', 'never-existed']);
      expect(found.get('file-1')!.map((p) => p.chunkIndex)).toEqual([0, 1, 2]);
      expect(found.get('file-2')).toHaveLength(2);
      expect(found.get('never-existed')).toEqual([]);
      await sut.deleteByFileIds(['file-1', 'file-2', 'never-existed']);
      await sut.deleteByFileIds([]);
      expect(await sut.count({ fileId: 'file-1' })).toBe(0);
      expect(await sut.count({ fileId: 'file-2' })).toBe(0);
      expect(await sut.count({ fileId: 'file-10' })).toBe(2);
      expect(await sut.count({ fileId: 'file-3' })).toBe(1);
    });

    it('scrolls every point exactly once across pages, in id order, with no vectors or text', async () => {
      const points = Array.from({ length: 10 }, (_, f) => seedFile(`file-${f}`, 5, f % 2 ? 'user-b' : 'user-a')).flat();
      await sut.upsert(points);
      const pages = await collect(sut.scrollPointRefs({ pageSize: 7 }));
      expect(pages).toHaveLength(Math.ceil(50 / 7));
      expect(pages.every((page) => page.length > 0 && page.length <= 7)).toBe(true);
      const ids = pages.flat().map((ref) => ref.id);
      expect(new Set(ids).size).toBe(50);
      expect(ids).toEqual(points.map((point) => point.id).sort());
      for (const ref of pages.flat()) {
        expect(Object.keys(ref).sort()).toEqual(['chunkCount', 'chunkIndex', 'contentHash', 'fileId', 'id', 'model', 'userId']);
      }
    });

    it('limits a scroll and a search to one user', async () => {
      await sut.upsert([...seedFile('file-a', 4, 'user-a'), ...seedFile('file-b', 3, 'user-b'), ...seedFile('file-c', 2, 'user-b')]);
      const refs = (await collect(sut.scrollPointRefs({ userId: 'user-b', pageSize: 2 }))).flat();
      expect(refs).toHaveLength(5);
      expect(new Set(refs.map((ref) => ref.userId))).toEqual(new Set(['user-b']));
      expect(await collect(sut.scrollPointRefs({ userId: 'nobody' }))).toEqual([]);
      const hits = await sut.search(seedPoint('q', 0).vector, { limit: 10, userId: 'user-a' });
      expect(hits.map((hit) => hit.payload.fileId)).toEqual(['file-a', 'file-a', 'file-a', 'file-a']);
    });

    it('counts all points, one user’s, and one file’s', async () => {
      await sut.upsert([...seedFile('file-a', 4, 'user-a'), ...seedFile('file-b', 3, 'user-b'), ...seedFile('file-c', 2, 'user-b')]);
      expect(await sut.count()).toBe(9);
      expect(await sut.count({ userId: 'user-b' })).toBe(5);
      expect(await sut.count({ fileId: 'file-a' })).toBe(4);
      expect(await sut.count({ userId: 'user-a', fileId: 'file-b' })).toBe(0);
    });

    it('search returns the nearest first, with cosine scores and the payload text', async () => {
      await sut.upsert(Array.from({ length: 6 }, (_, i) => seedPoint(`file-${i}`, 0, { axis: i })));
      const query = seedPoint('q', 0, { axis: 3 }).vector.map((value) => value * 5);
      const hits = await sut.search(query, { limit: 3 });
      expect(hits).toHaveLength(3);
      expect(hits[0]).toMatchObject({ id: pointId('file-3', 0), payload: { fileId: 'file-3', text: 'chunk 0 of file-3' } });
      expect(hits[0].score).toBeCloseTo(1, 4);
      expect(hits[1].score).toBeLessThan(hits[0].score);
      expect(hits[2].score).toBeLessThanOrEqual(hits[1].score);
    });

    it('keeps unicode file ids exact (NFC and NFD are different files)', async () => {
      const ids = ['报告 📄.pdf', 'caf\u00e9', 'cafe\u0301', 'a/b\\c"d\'e'];
      await sut.upsert(ids.flatMap((fileId, i) => seedFile(fileId, i + 1)));
      for (const [i, fileId] of ids.entries()) {
        const refs = await sut.getFilePoints(fileId);
        expect(refs.map((ref) => ref.fileId)).toEqual(Array(i + 1).fill(fileId));
        expect(await sut.count({ fileId })).toBe(i + 1);
      }
      await sut.deleteByFileId('caf\u00e9');
      expect(await sut.count({ fileId: 'cafe\u0301' })).toBe(3);
      expect(await sut.count()).toBe(1 + 3 + 4);
    });

    it('rejects a vector of the wrong dimension as invalid and does not store it', async () => {
      const bad = { ...seedPoint('file-1', 1), vector: [1, 2, 3] };
      await expect(sut.upsert([seedPoint('file-1', 0), bad])).rejects.toMatchObject({ code: StoreErrorCode.Invalid });
      expect((await sut.getFilePoints('file-1')).map((ref) => ref.chunkIndex)).not.toContain(1);
    });

    it('keeps points before a repair deletes them, lists, restores them as they were and purges them after retention', async () => {
      const points = seedFile('file-q', 3, 'user-q');
      await sut.upsert([...points, ...seedFile('file-stays', 1)]);
      const at = new Date('2026-01-10T12:00:00Z');
      expect(await sut.quarantineFilePoints(['file-q'], { reason: 'repair: orphan_vectors', at })).toBe(3);
      expect(await sut.getFilePoints('file-q')).toEqual([]);
      expect(await sut.count()).toBe(1);
      const kept = await sut.listQuarantinedPoints({ fileId: 'file-q' });
      expect(kept.map((p) => p.id).sort()).toEqual(points.map((p) => p.id).sort());
      expect(kept[0]).toMatchObject({ fileId: 'file-q', userId: 'user-q', reason: 'repair: orphan_vectors', quarantinedAt: at });
      // Paged by id.
      const first = await sut.listQuarantinedPoints({ limit: 2 });
      const rest = await sut.listQuarantinedPoints({ limit: 2, afterId: first[1].id });
      expect([...first, ...rest].map((p) => p.id)).toEqual(kept.map((p) => p.id).sort());
      // Restored exactly: the same vector (search finds it first) and payload.
      expect(await sut.restoreQuarantinedPoints([points[1].id])).toBe(1);
      expect(await sut.getFilePoints('file-q')).toEqual([
        expect.objectContaining({ id: points[1].id, chunkIndex: 1, contentHash: points[1].contentHash, userId: 'user-q' }),
      ]);
      const [hit] = await sut.search(points[1].vector, { limit: 1, userId: 'user-q' });
      expect(hit).toMatchObject({ id: points[1].id, payload: { fileId: 'file-q', text: points[1].text } });
      expect(await sut.listQuarantinedPoints({ fileId: 'file-q' })).toHaveLength(2);
      // keepPoints copies without deleting; an unknown id keeps nothing.
      expect(await sut.keepPoints([points[1].id, pointId('nobody', 0)], { reason: 're-embed', at: new Date('2026-01-20T00:00:00Z') })).toBe(1);
      expect(await sut.getFilePoints('file-q')).toHaveLength(1);
      // Purge: only what was kept before the cutoff.
      expect(await sut.purgeQuarantinedPoints(new Date('2026-01-15T00:00:00Z'))).toBe(2);
      expect((await sut.listQuarantinedPoints()).map((p) => p.id)).toEqual([points[1].id]);
    });

    it('a collection that was never created is unavailable, not empty', async () => {
      const uninitialised = await harness().create();
      try {
        await expectEveryCallUnavailable(uninitialised);
      } finally {
        await uninitialised.close();
      }
    });

    it('a closed store is unavailable', async () => {
      await sut.upsert(seedFile('file-1', 2));
      await sut.close();
      await expectEveryCallUnavailable(sut);
      await expectUnavailable(sut.init(DIMENSION));
    });

    it('an unreachable store is unavailable, never empty', async () => {
      for (const { why, store } of await harness().unreachable()) {
        try {
          await expectEveryCallUnavailable(store);
        } catch (error) {
          throw new Error(`${why}: ${(error as Error).message}`, { cause: error });
        } finally {
          await store.close();
        }
      }
    });
  });
}

// --- the embedded adapter ------------------------------------------------------------

let localDir: string;
let localCollections = 0;
beforeAll(() => {
  localDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-vectors-'));
});
afterAll(() => fs.rmSync(localDir, { recursive: true, force: true }));

vectorStoreContract('local', () => ({
  create: async () => new LocalVectorStore({ dataDir: localDir, collection: `${RUN}_${localCollections++}` }),
  unreachable: async () => [],
}));

// --- the Qdrant adapter: the stand-in from global setup, or a real Qdrant via QDRANT_URL --

let qdrantUrl: string;
// Global setup copies an unset QDRANT_API_KEY into process.env, which stores it as "undefined".
const qdrantApiKey = [undefined, '', 'undefined'].includes(process.env.QDRANT_API_KEY) ? undefined : process.env.QDRANT_API_KEY;
let ownStandin: { url: string; close(): Promise<void> } | undefined;
const qdrantCollections: string[] = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  qdrantUrl = process.env.QDRANT_URL ?? '';
  if (!qdrantUrl) {
    ownStandin = await startQdrantStandin();
    qdrantUrl = ownStandin.url;
  }
});

afterAll(async () => {
  const admin = new QdrantClient({ url: qdrantUrl, apiKey: qdrantApiKey, checkCompatibility: false });
  for (const name of qdrantCollections) await admin.deleteCollection(name).catch(() => undefined);
  await Promise.all(closers.map((close) => close()));
  await ownStandin?.close();
});

const qdrantStore = (url: string, options: { apiKey?: string; timeoutMs?: number } = {}) => {
  const collection = `${RUN}_${qdrantCollections.length}`;
  qdrantCollections.push(collection);
  return new QdrantVectorStore({ url, apiKey: options.apiKey, collection, timeoutMs: options.timeoutMs ?? 5000 });
};

/** A TCP server that accepts connections and never answers: a hung Qdrant. */
async function silentServer(): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

vectorStoreContract('qdrant', () => ({
  create: async () => qdrantStore(qdrantUrl, { apiKey: qdrantApiKey }),
  unreachable: async () => {
    const stopped = await startQdrantStandin();
    const wasUp = qdrantStore(stopped.url);
    await wasUp.init(DIMENSION);
    await wasUp.upsert(seedFile('file-1', 2));
    await stopped.close();
    const guarded = await startQdrantStandin({ apiKey: 'right-key' });
    closers.push(guarded.close);
    return [
      { why: 'nothing listening', store: qdrantStore(`http://127.0.0.1:${await freePort()}`) },
      { why: 'stand-in stopped', store: wasUp },
      { why: 'no answer within timeoutMs', store: qdrantStore(await silentServer(), { timeoutMs: 300 }) },
      { why: 'missing api key', store: qdrantStore(guarded.url) },
      { why: 'wrong api key', store: qdrantStore(guarded.url, { apiKey: 'wrong-key' }) },
    ];
  },
}));

describe("QdrantVectorStore on a deployment's collection (named vectors, nested payload, integer ids)", () => {
  const model = {
    ...defaultDataModel().vectors,
    vectorName: 'dense',
    payload: {
      file_id: 'metadata.file_id',
      user_id: 'metadata.user_id',
      chunk_index: 'metadata.chunk',
      chunk_count: null,
      content_hash: null,
      model: null,
      text: 'page_content',
    },
  };
  const vector = (seed: number) => Array.from({ length: 8 }, (_, i) => (i === seed % 8 ? 1 : 0.01));

  it('uses the named vector and mapped paths, creates payload indexes on them, and never recreates the collection', async () => {
    const admin = new QdrantClient({ url: qdrantUrl, apiKey: qdrantApiKey, checkCompatibility: false });
    const collection = `${RUN}_named`;
    qdrantCollections.push(collection);
    await admin.createCollection(collection, { vectors: { dense: { size: 8, distance: 'Cosine' }, title: { size: 4, distance: 'Dot' } } });
    // Another writer's points: integer ids, its own layout.
    await admin.upsert(collection, {
      wait: true,
      points: [
        { id: 7, vector: { dense: vector(1), title: [1, 0, 0, 0] }, payload: { page_content: 'old', metadata: { file_id: 'f1', user_id: 'u', chunk: 0 } } },
        { id: 8, vector: { dense: vector(2) }, payload: { page_content: 'other', metadata: { file_id: 'f2', user_id: 'u', chunk: 0 } } },
      ],
    });
    const sut = new QdrantVectorStore({ url: qdrantUrl, apiKey: qdrantApiKey, collection, timeoutMs: 5000, mapping: model });
    await sut.init(8);
    const info = await admin.getCollection(collection);
    expect(Object.keys(info.payload_schema ?? {}).sort()).toEqual(['metadata.file_id', 'metadata.user_id']);
    expect(await sut.describeCollection()).toEqual({
      vectors: [
        { name: 'dense', size: 8, distance: 'Cosine' },
        { name: 'title', size: 4, distance: 'Dot' },
      ],
      points: 2,
    });

    expect((await sut.getFilePoints('f1')).map((p) => [p.id, p.fileId, p.chunkIndex, p.contentHash])).toEqual([['7', 'f1', 0, '']]);
    await sut.upsert([
      { id: pointId('f1', 0), fileId: 'f1', userId: 'u', chunkIndex: 0, chunkCount: 1, contentHash: 'h', text: 'new text', vector: vector(3) },
    ]);
    const [written] = await admin.retrieve(collection, { ids: [pointId('f1', 0)], with_payload: true, with_vector: true });
    expect(written.payload).toEqual({ page_content: 'new text', metadata: { file_id: 'f1', user_id: 'u', chunk: 0 } });
    expect(written.vector).toEqual({ dense: expect.any(Array) });
    const [hit] = await sut.search(vector(3), { limit: 1 });
    expect(hit).toMatchObject({ id: pointId('f1', 0), payload: { fileId: 'f1', text: 'new text' } });
    // An integer id read as digits is deleted as the integer it is.
    await sut.deletePoints(['7']);
    expect((await sut.getFilePoints('f1')).map((p) => p.id)).toEqual([pointId('f1', 0)]);
    expect(await sut.count({ fileId: 'f2' })).toBe(1);

    // A size that does not fit is refused, and the deployment's collection is left as it was.
    const wrong = new QdrantVectorStore({ url: qdrantUrl, apiKey: qdrantApiKey, collection, timeoutMs: 5000, mapping: model });
    await expect(wrong.init(16)).rejects.toThrow(/holds 8-dimension Cosine vectors, expected dense: 16-dimension/);
    const missingName = new QdrantVectorStore({
      url: qdrantUrl,
      apiKey: qdrantApiKey,
      collection,
      timeoutMs: 5000,
      mapping: { ...model, vectorName: 'sparse' },
    });
    await expect(missingName.init(8)).rejects.toThrow(/no vector named sparse/);
    expect((await admin.getCollection(collection)).points_count).toBe(2);
  });
});
