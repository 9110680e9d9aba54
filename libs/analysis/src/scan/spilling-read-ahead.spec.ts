import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { jsonSpillCodec, spillingReadAhead } from './spilling-read-ahead';

interface Item {
  n: number;
  at: Date;
  gone?: Date | null;
}

const codec = jsonSpillCodec<Item>(['at', 'gone']);
const item = (n: number): Item => ({ n, at: new Date(1_700_000_000_000 + n), gone: n % 2 ? null : new Date(n) });

/** `count` items in pages of `pageSize` (and an empty page now and then, as stores send). */
async function* items(count: number, produced: number[], options: { failAt?: number; pageSize?: number } = {}): AsyncGenerator<Item[]> {
  const pageSize = options.pageSize ?? 100;
  for (let from = 0; from < count; from += pageSize) {
    const page: Item[] = [];
    for (let n = from; n < Math.min(from + pageSize, count); n += 1) {
      if (n === options.failAt) {
        yield page;
        throw new Error(`failed at ${n}`);
      }
      produced.push(n);
      page.push(item(n));
    }
    yield page;
    if (from % (pageSize * 3) === 0) yield [];
  }
}

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of iterable) {
    expect(page.length).toBeGreaterThan(0);
    out.push(...page);
  }
  return out;
}

describe(spillingReadAhead.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'spill-spec-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads the whole source before anyone reads, past memory, and gives it back in order with dates', async () => {
    const produced: number[] = [];
    const sut = spillingReadAhead(items(2_500, produced), { memoryItems: 300, codec, directory: dir });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(produced).toHaveLength(2_500);
    expect(sut.spilledItems).toBeGreaterThanOrEqual(2_000);
    expect(await readdir(dir)).toHaveLength(1);
    const out = await collect(sut);
    expect(out).toEqual(Array.from({ length: 2_500 }, (_, n) => item(n)));
    expect(out[1_999].at).toBeInstanceOf(Date);
    // The reader's end removes the file.
    expect(await readdir(dir)).toEqual([]);
  });

  it('delivers every item before a failure, then the failure', async () => {
    const sut = spillingReadAhead(items(1_000, [], { failAt: 750, pageSize: 50 }), { memoryItems: 100, codec, directory: dir });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of sut) seen.push(...page.map((value) => value.n));
      })(),
    ).rejects.toThrow('failed at 750');
    expect(seen).toEqual(Array.from({ length: 750 }, (_, n) => n));
  });

  it('becomes a bounded read-ahead when the file cannot be written', async () => {
    const notADirectory = path.join(dir, 'file');
    await writeFile(notADirectory, '');
    const produced: number[] = [];
    const sut = spillingReadAhead(items(2_000, produced), { memoryItems: 200, codec, directory: notADirectory });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // What memory holds, plus the page the source was building when it was told to wait.
    expect(produced.length).toBeLessThanOrEqual(400);
    expect((await collect(sut)).map((value) => value.n)).toEqual(Array.from({ length: 2_000 }, (_, n) => n));
    expect(sut.spilledItems).toBe(0);
  });

  it('stops the source when the reader stops early, and removes its file', async () => {
    const produced: number[] = [];
    const sut = spillingReadAhead(items(100_000, produced), { memoryItems: 100, codec, directory: dir });
    for await (const page of sut) if (page.some((value) => value.n === 10)) break;
    const count = produced.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(produced.length).toBe(count);
    expect(count).toBeLessThan(100_000);
    expect(await readdir(dir)).toEqual([]);
  });
});
