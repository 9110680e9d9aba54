import { Readable } from 'node:stream';
import { isStoreUnavailable } from '@storesync/core';
import { DeadlineExpiredError, deadlineSignal, pagesWithDeadline, readableWithDeadline, withDeadline } from './deadline';
import { DeadlineRunner } from './deadline-runner';
import { StoreDownError } from './store-latch';

const never = () => new Promise<never>(() => undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(withDeadline.name, () => {
  it('answers with the value when the call is in time', async () => {
    await expect(withDeadline('s3', 'head', 200, async () => 'ok')).resolves.toBe('ok');
  });

  it('rejects with StoreUnavailable at the deadline and aborts the call signal', async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const sut = withDeadline('qdrant', 'scroll', 100, () => {
      signal = deadlineSignal();
      return never();
    });
    await expect(sut).rejects.toBeInstanceOf(DeadlineExpiredError);
    await expect(sut).rejects.toThrow(/qdrant unavailable: scroll did not answer within 100 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(signal?.aborted).toBe(true);
    expect(isStoreUnavailable(await sut.catch((e: unknown) => e))).toBe(true);
  });

  it('passes the call its own failure', async () => {
    await expect(withDeadline('s3', 'put', 200, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });

  it('lets a slow call of a live server run past the deadline, up to the ceiling', async () => {
    let pings = 0;
    const guard = { ceilingMs: 1000, alive: async () => void (pings += 1) };
    await expect(withDeadline('mongodb', 'sort', 100, () => sleep(350).then(() => 'sorted'), guard)).resolves.toBe('sorted');
    expect(pings).toBeGreaterThanOrEqual(2);
    const capped = withDeadline('mongodb', 'sort', 100, never, guard);
    await expect(capped).rejects.toThrow(/within 1000 ms/);
  });

  it('gives up within two deadlines when the ping does not answer either', async () => {
    const started = Date.now();
    const sut = withDeadline('mongodb', 'find', 100, never, { ceilingMs: 10_000, alive: never });
    const error = await sut.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExpiredError);
    expect((error as DeadlineExpiredError).livenessFailed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe(pagesWithDeadline.name, () => {
  const runner = (timeoutMs: number) => (op: string, work: () => Promise<unknown>) => withDeadline('s3', op, timeoutMs, work);

  it('gives each page its own deadline, not one for the whole stream', async () => {
    async function* slowPages() {
      for (let i = 0; i < 4; i++) {
        await sleep(60);
        yield [i];
      }
    }
    const pages: number[][] = [];
    for await (const page of pagesWithDeadline('list', slowPages, runner(150) as never)) pages.push(page);
    expect(pages).toEqual([[0], [1], [2], [3]]);
  });

  it('fails the reader when one page hangs and closes the source in the background', async () => {
    let closed = false;
    async function* hangsOnSecond() {
      try {
        yield 1;
        await never();
      } finally {
        closed = true;
      }
    }
    const seen: number[] = [];
    const read = (async () => {
      for await (const page of pagesWithDeadline('list', hangsOnSecond, runner(100) as never)) seen.push(page);
    })();
    await expect(read).rejects.toThrow(/list \(page 2\) did not answer within 100 ms/);
    expect(seen).toEqual([1]);
    // The generator is stuck in its await, so return() waits behind it: nothing is left waiting on us.
    expect(closed).toBe(false);
  });
});

describe(readableWithDeadline.name, () => {
  it('fails a body that stops sending and destroys it', async () => {
    const source = new Readable({ read() {} });
    source.push(Buffer.from('first chunk'));
    const sut = readableWithDeadline('read object', source, (op, work) => withDeadline('s3', op, 100, work));
    const chunks: Buffer[] = [];
    await expect(
      (async () => {
        for await (const chunk of sut) chunks.push(chunk as Buffer);
      })(),
    ).rejects.toThrow(/s3 unavailable: read object/);
    expect(Buffer.concat(chunks).toString()).toBe('first chunk');
    expect(source.destroyed).toBe(true);
  });
});

describe(DeadlineRunner.name, () => {
  it('fails calls at once once a hung store also missed a ping, and lets them through when it answers again', async () => {
    let hung = true;
    const ping = () => (hung ? never() : Promise.resolve());
    const sut = new DeadlineRunner('s3', 100, ping);
    await expect(sut.call('head', never)).rejects.toBeInstanceOf(DeadlineExpiredError);
    // The probe (one ping, one deadline) decides; calls arriving meanwhile wait for it, then fail fast.
    const started = Date.now();
    await expect(sut.call('head', async () => 'never asked')).rejects.toBeInstanceOf(StoreDownError);
    await expect(sut.call('head', async () => 'never asked')).rejects.toBeInstanceOf(StoreDownError);
    expect(Date.now() - started).toBeLessThan(600);
    hung = false;
    await sut.probe();
    await expect(sut.call('head', async () => 'asked')).resolves.toBe('asked');
    sut.latch.close();
  });

  it('keeps a store up when a call was slow but the ping answers', async () => {
    const sut = new DeadlineRunner('qdrant', 100, () => Promise.resolve());
    await expect(sut.call('upsert', never)).rejects.toBeInstanceOf(DeadlineExpiredError);
    await expect(sut.call('count', async () => 3)).resolves.toBe(3);
    sut.latch.close();
  });

  it('notices a store come back by itself (a ping every deadline in the background)', async () => {
    let hung = true;
    const sut = new DeadlineRunner('mongodb', 80, () => (hung ? never() : Promise.resolve()), {
      ceilingMs: 800,
      alive: () => (hung ? never() : Promise.resolve()),
    });
    await expect(sut.call('find', never)).rejects.toMatchObject({ livenessFailed: true });
    await expect(sut.call('find', async () => 1)).rejects.toBeInstanceOf(StoreDownError);
    hung = false;
    await sleep(400);
    await expect(sut.call('find', async () => 1)).resolves.toBe(1);
    sut.latch.close();
  });
});
