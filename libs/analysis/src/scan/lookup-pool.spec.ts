import { LookupPool } from './lookup-pool';

const later = <T>(value: T, ms: number) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe(LookupPool.name, () => {
  it('runs at most `concurrency` tasks and returns every result', async () => {
    const sut = new LookupPool<number>(3, 100);
    let running = 0;
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await sut.submit(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await later(null, 5);
        running -= 1;
        return i;
      });
    }
    const results = [...sut.take(), ...(await sut.finish())];
    expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });

  it('makes the submitter wait when the backlog is full', async () => {
    const sut = new LookupPool<number>(1, 2);
    await sut.submit(() => later(1, 30));
    await sut.submit(() => later(2, 30));
    const started = Date.now();
    await sut.submit(() => later(3, 1));
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
    expect((await sut.finish()).sort()).toEqual([1, 2, 3]);
  });

  it('surfaces a failed task', async () => {
    const sut = new LookupPool<number>(2, 10);
    await sut.submit(() => Promise.reject(new Error('bug')));
    await expect(sut.finish()).rejects.toThrow('bug');
  });

  it('finishes at once when nothing was submitted', async () => {
    await expect(new LookupPool<number>(2, 10).finish()).resolves.toEqual([]);
  });
});
