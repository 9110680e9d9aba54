import { InProcessRunLock } from './run-lock';

describe(InProcessRunLock.name, () => {
  it('gives the lock to one holder until it is released', async () => {
    const sut = new InProcessRunLock();
    const first = await sut.acquire('a', 10_000);
    expect(first).not.toBeNull();
    expect(await sut.acquire('a', 10_000)).toBeNull();
    expect(await sut.acquire('b', 10_000)).not.toBeNull();
    await first!.release();
    expect(await sut.acquire('a', 10_000)).not.toBeNull();
  });

  it('frees an expired lease, and an expired lease does not free the next holder', async () => {
    const sut = new InProcessRunLock();
    const stale = await sut.acquire('a', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const next = await sut.acquire('a', 10_000);
    expect(next).not.toBeNull();
    await stale!.release();
    expect(await sut.acquire('a', 10_000)).toBeNull();
  });
});
