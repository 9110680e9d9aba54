import { BytePacing } from './byte-pacer';

describe(BytePacing.name, () => {
  it('lets the n-th byte through no sooner than n / rate after the start', () => {
    const sut = new BytePacing(1000, 0);
    expect(sut.delayAfter(500, 0)).toBe(500);
    expect(sut.delayAfter(500, 500)).toBe(500);
    // Late readers owe nothing: the time already passed covers the bytes.
    expect(sut.delayAfter(1000, 3000)).toBe(0);
    expect(sut.bytes).toBe(2000);
  });

  it('holds the rate across concurrent readers taking from one budget', () => {
    const sut = new BytePacing(10_000, 1_000);
    // Four readers each take 64 KiB at the same instant: the last one waits for all of it.
    const waits = [0, 1, 2, 3].map(() => sut.delayAfter(65_536, 1_000));
    expect(waits).toEqual([6553.6, 13107.2, 19660.8, 26214.4]);
  });

  it('never asks to wait when the rate is unlimited (0)', () => {
    const sut = new BytePacing(0, 0);
    expect(sut.delayAfter(10 ** 12, 0)).toBe(0);
  });

  it('keeps the average rate within a chunk of the limit over a simulated run', () => {
    const rate = 5 * 1024 * 1024;
    const sut = new BytePacing(rate, 0);
    let now = 0;
    const chunk = 64 * 1024;
    for (let i = 0; i < 2000; i++) now += sut.delayAfter(chunk, now);
    // Reading is instantaneous here: elapsed time is exactly what the pacing imposed.
    expect(sut.bytes / (now / 1000)).toBeCloseTo(rate, -1);
  });
});
