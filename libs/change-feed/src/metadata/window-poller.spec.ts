import type { FileRecord } from '@storesync/core';
import { WindowPoller } from './window-poller';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const rec = (fileId: string, atMs: number): FileRecord => ({
  fileId,
  userId: 'u',
  fileKey: `u/${fileId}`,
  fileName: fileId,
  fileSize: 1,
  contentType: 'text/plain',
  isActive: true,
  createdAt: new Date(atMs),
  updatedAt: new Date(atMs),
});

/** A metadata store of records, answering changedSince as the adapters do (paged, keyset). */
function store(records: FileRecord[]) {
  return {
    records,
    async changedSince(since: Date, limit: number, cursor?: { updatedAt: Date; fileId: string }) {
      return this.records
        .filter((r) => r.updatedAt >= since)
        .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.fileId < b.fileId ? -1 : 1))
        .filter((r) => !cursor || r.updatedAt > cursor.updatedAt || (r.updatedAt.getTime() === cursor.updatedAt.getTime() && r.fileId > cursor.fileId))
        .slice(0, limit);
    },
  };
}

describe(WindowPoller.name, () => {
  it('reports each change once, a later change to the same file again', async () => {
    let now = T0 + 10_000;
    const s = store([rec('a', T0 + 1000), rec('b', T0 + 2000)]);
    const sut = new WindowPoller(s, 60_000, new Date(T0), () => now);
    expect((await sut.poll()).changed.map((r) => r.fileId)).toEqual(['a', 'b']);
    expect((await sut.poll()).changed).toEqual([]);
    s.records[0] = rec('a', T0 + 5000);
    now += 1000;
    expect((await sut.poll()).changed.map((r) => r.fileId)).toEqual(['a']);
  });

  it('tells a document deleted outright from its absence in the overlap window', async () => {
    const s = store([rec('a', T0 + 1000), rec('b', T0 + 2000)]);
    const sut = new WindowPoller(s, 60_000, new Date(T0), () => T0 + 10_000);
    await sut.poll();
    s.records = s.records.filter((r) => r.fileId !== 'a');
    expect(await sut.poll()).toMatchObject({ changed: [], deleted: ['a'] });
    expect((await sut.poll()).deleted).toEqual([]);
  });

  it('reads every page of a large window', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => rec(`f${String(i).padStart(5, '0')}`, T0 + 1000));
    const sut = new WindowPoller(store(many), 60_000, new Date(T0), () => T0 + 10_000);
    expect((await sut.poll()).changed).toHaveLength(2500);
  });

  it('never moves its mark past our clock (a writer with a clock ahead cannot hide the others)', async () => {
    const s = store([rec('future', T0 + 3600_000)]);
    const sut = new WindowPoller(s, 60_000, new Date(T0), () => T0 + 5000);
    await sut.poll();
    expect(sut.mark.getTime()).toBe(T0 + 5000);
    s.records.push(rec('normal', T0 + 4000));
    expect((await sut.poll()).changed.map((r) => r.fileId)).toEqual(['normal']);
  });

  it('re-reads from an overlap before a persisted mark after a restart', async () => {
    const s = store([rec('old', T0 - 120_000), rec('missed', T0 - 30_000), rec('after', T0 + 1000)]);
    const sut = new WindowPoller(s, 60_000, new Date(T0), () => T0 + 5000);
    expect((await sut.poll()).changed.map((r) => r.fileId)).toEqual(['missed', 'after']);
  });
});
