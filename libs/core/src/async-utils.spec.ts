import { Readable } from 'node:stream';
import { mapBounded, readAll, sha256OfStream } from './async-utils';
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

describe(sha256OfStream.name, () => {
  it('hashes and collects a chunked stream like the whole buffer', async () => {
    const parts = ['héllo ', 'wörld', '!'].map((s) => Buffer.from(s));
    expect(await sha256OfStream(Readable.from(parts))).toBe(sha256Hex(Buffer.concat(parts)));
    expect((await readAll(Readable.from(parts))).toString()).toBe('héllo wörld!');
  });
});
