import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreUnavailableError } from '@storesync/core';
import { StateStore, LocalStateStore, MongoStateStore } from '@storesync/storage';
import { uniqueName } from '../support/factories';
import { freePort } from '../support/stack';

interface RunDoc {
  id: string;
  user_id: string | null;
  state: string;
  started_at: string;
  partial: boolean;
  n?: number;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const harnesses = [
  {
    name: 'LocalStateStore',
    create: () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'state-contract-'));
      dirs.push(dataDir);
      return new LocalStateStore({ dataDir });
    },
  },
  {
    name: 'MongoStateStore',
    create: () => new MongoStateStore({ uri: process.env.MONGODB_URI!, timeoutMs: 5000 }),
  },
];

describe.each(harnesses)('StateStore contract: $name', ({ create }) => {
  let sut: StateStore;
  beforeEach(() => {
    sut = create();
  });
  afterEach(() => sut.close());

  const run = (i: number, overrides: Partial<RunDoc> = {}): RunDoc => ({
    id: `r${String(i).padStart(2, '0')}`,
    user_id: i % 2 ? 'alice' : null,
    state: 'completed',
    started_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    partial: i % 3 === 0,
    ...overrides,
  });

  it('inserts, gets, updates and upserts by id', async () => {
    const runs = sut.collection<RunDoc>(uniqueName('runs'), [['started_at']]);
    await runs.insert(run(1));
    expect(await runs.get('r01')).toEqual(run(1));
    expect(await runs.update('r01', { state: 'partial', n: 3 })).toBe(true);
    expect(await runs.get('r01')).toMatchObject({ state: 'partial', n: 3, user_id: 'alice' });
    await runs.upsertMany([run(1), run(2)]);
    expect(await runs.get('r01')).toEqual(run(1));
    expect(await runs.count({})).toBe(2);
    expect(await runs.update('absent', { state: 'x' })).toBe(false);
    expect(await runs.update('r01', { user_id: null })).toBe(true);
    expect(await runs.get('r01')).toMatchObject({ user_id: null });
    expect(await runs.count({ user_id: null })).toBe(2);
    expect(await runs.get('absent')).toBeNull();
  });

  it('inserts only the new ids, leaves the existing ones as they were, and says which it inserted', async () => {
    const runs = sut.collection<RunDoc>(uniqueName('runs'));
    await runs.insertMany([run(1), run(3)]);
    // More than one bulk chunk, with existing ids in the first and the last.
    const batch = [run(1, { state: 'changed' }), ...Array.from({ length: 120 }, (_, i) => run(10 + i)), run(3, { state: 'changed' })];
    const inserted = await runs.insertNew(batch);
    expect(inserted).toEqual(batch.slice(1, -1).map((doc) => doc.id));
    expect(await runs.count({})).toBe(122);
    expect(await runs.get('r01')).toEqual(run(1));
    expect(await runs.get('r03')).toEqual(run(3));
    expect(await runs.insertNew(batch)).toEqual([]);
    expect(await runs.insertNew([])).toEqual([]);
  });

  it('filters with equality, null, $in, $ne, $lt, $gt and booleans', async () => {
    const runs = sut.collection<RunDoc>(uniqueName('runs'));
    await runs.upsertMany(Array.from({ length: 10 }, (_, i) => run(i)));
    expect(await runs.count({ user_id: 'alice' })).toBe(5);
    expect(await runs.count({ user_id: null })).toBe(5);
    expect(await runs.count({ id: { $in: ['r01', 'r02', 'zz'] } })).toBe(2);
    expect(await runs.count({ id: { $ne: 'r01' } })).toBe(9);
    expect(await runs.count({ partial: true })).toBe(4);
    expect(await runs.count({ started_at: { $lt: run(3).started_at } })).toBe(3);
    expect(await runs.count({ started_at: { $gt: run(3).started_at } })).toBe(6);
    expect(await runs.updateMany({ user_id: 'alice' }, { state: 'resolved' })).toBe(5);
    expect(await runs.count({ state: 'resolved' })).toBe(5);
    expect(await runs.deleteMany({ user_id: null })).toBe(5);
    expect(await runs.count({})).toBe(5);
  });

  it('pages with a keyset cursor in both directions, each document once', async () => {
    const runs = sut.collection<RunDoc>(uniqueName('runs'), [['started_at']]);
    // Equal sort values force the id tie-breaker.
    await runs.upsertMany(Array.from({ length: 11 }, (_, i) => run(i, { started_at: run(Math.floor(i / 2)).started_at })));
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let after: { value: string; id: string } | undefined;
      for (;;) {
        const page = await runs.find({}, { sortBy: 'started_at', order, limit: 3, after });
        seen.push(...page.map((d) => d.id));
        if (page.length < 3) break;
        const last = page[page.length - 1];
        after = { value: last.started_at, id: last.id };
      }
      const expected = Array.from({ length: 11 }, (_, i) => run(i).id);
      expect(seen).toEqual(order === 'asc' ? expected : [...expected].reverse());
    }
  });
});

describe('StateStore streams', () => {
  it.each(harnesses)('$name streams every matching document once, across pages', async ({ create }) => {
    const sut = create();
    try {
      const docs = sut.collection<{ id: string; open: boolean }>(uniqueName('stream'));
      await docs.insertMany(Array.from({ length: 250 }, (_, n) => ({ id: `d${String(n).padStart(3, '0')}`, open: n % 3 !== 0 })));
      const seen: string[] = [];
      for await (const doc of docs.stream({ open: true }, 40)) seen.push(doc.id);
      const expected = Array.from({ length: 250 }, (_, n) => n)
        .filter((n) => n % 3 !== 0)
        .map((n) => `d${String(n).padStart(3, '0')}`);
      expect([...seen].sort()).toEqual(expected);
      expect(new Set(seen).size).toBe(seen.length);
    } finally {
      await sut.close();
    }
  });
});

describe('StateStore unreachable', () => {
  it('reports MongoDB down as unavailable', async () => {
    const port = await freePort();
    const sut = new MongoStateStore({ uri: `mongodb://127.0.0.1:${port}/x`, timeoutMs: 300 });
    await expect(sut.collection('runs').count({})).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(
      (async () => {
        for await (const _doc of sut.collection('runs').stream({})) void _doc;
      })(),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    await sut.close();
  });
});

describe('StateStore bulk writes', () => {
  it.each(harnesses)('$name upserts a thousand documents in one call', async ({ create }) => {
    const sut = create();
    try {
      const docs = sut.collection<{ id: string; n: number }>(uniqueName('bulk'));
      await docs.upsertMany(Array.from({ length: 1000 }, (_, n) => ({ id: `d${n}`, n })));
      expect(await docs.count({})).toBe(1000);
      await docs.insertMany(Array.from({ length: 120 }, (_, n) => ({ id: `new${n}`, n })));
      expect(await docs.count({})).toBe(1120);
      await expect(docs.insertMany([{ id: 'd1', n: -1 }])).rejects.toThrow();
      expect(await docs.get('d1')).toEqual({ id: 'd1', n: 1 });
      expect(await docs.get('d999')).toEqual({ id: 'd999', n: 999 });
    } finally {
      await sut.close();
    }
  });
});
