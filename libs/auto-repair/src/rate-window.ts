/** At most `limit` items per `windowMs`, sliding: how many may go now, and when the next may. */
export class RateWindow {
  private readonly sent: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  available(): number {
    this.expire();
    return Math.max(0, this.limit - this.sent.length);
  }

  take(n: number): void {
    const at = this.now();
    for (let i = 0; i < n; i++) this.sent.push(at);
  }

  /** Milliseconds until one more may go (0 when one may now). */
  waitMs(): number {
    this.expire();
    if (this.sent.length < this.limit) return 0;
    return this.sent[0] + this.windowMs - this.now();
  }

  private expire(): void {
    const from = this.now() - this.windowMs;
    while (this.sent.length > 0 && this.sent[0] <= from) this.sent.shift();
  }
}
