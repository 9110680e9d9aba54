import { ConflictError, StoreUnavailableError } from '@storesync/core';
import { StateCollection, StateDocument, StateStore } from '../ports/state.store';
import { LocalStateStore } from '../local/local-state.store';
import { ResilientStateStore } from './resilient-state.store';
import { isTransientStoreError } from './transient-errors';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

describe(isTransientStoreError.name, () => {
  const unavailable = (cause: unknown) => new StoreUnavailableError('mongodb', 'failed', cause);

  it('calls busy, reset and retryable-labelled failures transient', () => {
    expect(isTransientStoreError(unavailable(Object.assign(new Error('database is locked (5) (SQLITE_BUSY)'), { name: 'MongoServerError' })))).toBe(true);
    expect(isTransientStoreError(unavailable(Object.assign(new Error('connection 1 to 127.0.0.1:1 closed'), { name: 'MongoNetworkError' })))).toBe(true);
    expect(isTransientStoreError(unavailable(Object.assign(new Error('x'), { errorLabels: ['RetryableWriteError'] })))).toBe(true);
    expect(isTransientStoreError(unavailable(Object.assign(new Error('not primary'), { code: 10107 })))).toBe(true);
    expect(isTransientStoreError(unavailable({ code: 'ECONNRESET', message: 'read ECONNRESET' }))).toBe(true);
  });

  it('does not call refusals or an unreachable server transient', () => {
    expect(isTransientStoreError(new ConflictError('mongodb', 'duplicate key'))).toBe(false);
    expect(isTransientStoreError(new Error('database is locked'))).toBe(false);
    expect(isTransientStoreError(unavailable(Object.assign(new Error('Server selection timed out'), { name: 'MongoServerSelectionError' })))).toBe(false);
    expect(isTransientStoreError(unavailable(new Error('bad auth')))).toBe(false);
  });
});

/** The embedded state store with a collection that fails its first calls the way a busy SQLite does. */
function flakyStore(failures: number): { store: StateStore; calls: () => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilient-'));
  const local = new LocalStateStore({ dataDir: dir });
  let calls = 0;
  const wrap = <T extends StateDocument>(inner: StateCollection<T>): StateCollection<T> =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'upsertMany' && prop !== 'insertMany') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          calls += 1;
          if (calls <= failures) throw new StoreUnavailableError('mongodb', 'database is locked', new Error('database is locked (5) (SQLITE_BUSY)'));
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
  const store = new (class extends StateStore {
    collection<T extends StateDocument>(name: string, indexes?: string[][]) {
      return wrap(local.collection<T>(name, indexes));
    }
    ping() {
      return local.ping();
    }
    close() {
      return local.close();
    }
  })();
  return { store, calls: () => calls };
}

describe(ResilientStateStore.name, () => {
  it('retries a busy write with backoff until it lands, the retry of an insert as an upsert', async () => {
    const { store, calls } = flakyStore(2);
    const sut = new ResilientStateStore(store, { timeoutMs: 1000, retry: { attempts: 5, baseDelayMs: 10 }, random: () => 1 });
    const runs = sut.collection<{ id: string; n: number }>('runs');
    const started = Date.now();
    await runs.insertMany([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ]);
    expect(calls()).toBe(3);
    // Backoff 10 then 20 ms (full jitter at its top here).
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect((await runs.find({}, { sortBy: 'id' })).map((d) => d.n)).toEqual([1, 2]);
    await sut.close();
  });

  it('gives up after the attempts it is allowed, with the store error', async () => {
    const { store, calls } = flakyStore(10);
    const sut = new ResilientStateStore(store, { timeoutMs: 1000, retry: { attempts: 3, baseDelayMs: 5 } });
    await expect(sut.collection<{ id: string }>('runs').upsertMany([{ id: 'a' }])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls()).toBe(3);
    await sut.close();
  });
});
