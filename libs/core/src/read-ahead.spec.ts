import { readAhead } from './read-ahead';

async function* numbers(n: number, log: number[], failAt?: number) {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error(`failed at ${i}`);
    log.push(i);
    yield i;
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe(readAhead.name, () => {
  it('pulls ahead before anyone reads, up to the bound', async () => {
    const produced: number[] = [];
    const sut = readAhead(numbers(100, produced), 10);
    await new Promise((r) => setTimeout(r, 20));
    expect(produced.length).toBe(10);
    expect(await collect(sut)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('delivers the items before a failure, then the failure', async () => {
    const seen: number[] = [];
    const sut = readAhead(numbers(10, [], 4), 100);
    await expect(
      (async () => {
        for await (const item of sut) seen.push(item);
      })(),
    ).rejects.toThrow('failed at 4');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('stops the producer when the consumer stops early', async () => {
    const produced: number[] = [];
    for await (const item of readAhead(numbers(1000, produced), 5)) if (item === 2) break;
    await new Promise((r) => setTimeout(r, 20));
    expect(produced.length).toBeLessThan(10);
  });

  it('can be cancelled before anyone reads', async () => {
    const produced: number[] = [];
    const sut = readAhead(numbers(1000, produced), 5);
    sut.cancel();
    await new Promise((r) => setTimeout(r, 20));
    expect(produced.length).toBeLessThanOrEqual(5);
  });

  it('keeps order across many items (the queue compacts as it drains)', async () => {
    const sut = readAhead(numbers(5000, []), 3000);
    await new Promise((r) => setTimeout(r, 20));
    expect(await collect(sut)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});
