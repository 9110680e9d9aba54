import { Readable } from 'node:stream';
import { mapBounded, readAll, serialized, sha256OfStream } from './async-utils';
import { sha256Hex } from './point-id';

describe(mapBounded.name, () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const sut = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight -= 1;
      return n * 10;
    });
    expect(sut).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});

describe(serialized.name, () => {
  it('runs one task at a time in call order, going on after a failure', async () => {
    const sut = serialized();
    const log: string[] = [];
    let inFlight = 0;
    const task = (name: string, ms: number, fail = false) =>
      sut(async () => {
        inFlight += 1;
        log.push(`start ${name} (${inFlight} in flight)`);
        await new Promise((r) => setTimeout(r, ms));
        inFlight -= 1;
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a', 20), task('b', 1, true), task('c', 5)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a (1 in flight)', 'end a', 'start b (1 in flight)', 'end b', 'start c (1 in flight)', 'end c']);
  });
});

describe(sha256OfStream.name, () => {
  it('hashes and collects a chunked stream like the whole buffer', async () => {
    const parts = ['héllo ', 'wörld', '!'].map((s) => Buffer.from(s));
    expect(await sha256OfStream(Readable.from(parts))).toBe(sha256Hex(Buffer.concat(parts)));
    expect((await readAll(Readable.from(parts))).toString()).toBe('héllo wörld!');
  });
});
