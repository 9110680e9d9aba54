/** A one-line progress indicator on stderr (rewritten in place on a terminal). */
export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const now = performance.now();
    // Not a terminal (CI, a log file): one line every 10 s instead of a redraw every 250 ms.
    if (now - this.lastDraw < (this.tty ? 250 : 10_000) && done < this.total) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const line = `${this.label}: ${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} (${Math.round(rate).toLocaleString('en-US')}/s, ${seconds.toFixed(0)} s, ETA ${eta.toFixed(0)} s)`;
    process.stderr.write(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
