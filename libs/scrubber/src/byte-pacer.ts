/**
 * Paces byte reads to a rate shared by every concurrent read of a run: the n-th byte may
 * be read no sooner than n / rate seconds after the start. Pure arithmetic over a clock
 * the caller passes, so the pacing is tested on plain numbers; `BytePacer.take` sleeps.
 */
export class BytePacing {
  private consumed = 0;

  /** bytesPerSecond 0: unlimited. */
  constructor(
    private readonly bytesPerSecond: number,
    private readonly startMs: number,
  ) {}

  /** Counts `bytes` as read at `nowMs`; returns how long to wait before reading more. */
  delayAfter(bytes: number, nowMs: number): number {
    this.consumed += bytes;
    if (this.bytesPerSecond <= 0) return 0;
    const earliest = this.startMs + (this.consumed / this.bytesPerSecond) * 1000;
    return Math.max(0, earliest - nowMs);
  }

  get bytes(): number {
    return this.consumed;
  }
}

/** BytePacing on the wall clock: `take` resolves once the rate allows more, or at once on abort. */
export class BytePacer {
  private readonly pacing: BytePacing;

  /** False when the rate is unlimited (0): readers need not call `take`. */
  readonly limited: boolean;

  constructor(
    bytesPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.pacing = new BytePacing(bytesPerSecond, now());
    this.limited = bytesPerSecond > 0;
  }

  async take(bytes: number, signal: AbortSignal): Promise<void> {
    const wait = this.pacing.delayAfter(bytes, this.now());
    // Waits under a millisecond are noise: sleeping for them costs more than it paces.
    if (wait < 1 || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
