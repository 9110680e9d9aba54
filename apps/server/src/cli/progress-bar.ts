/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, a line every 10%
 * otherwise (CI logs stay readable).
 */
export class ProgressBar {
  private lastDecile = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number): void {
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const text = `${this.label} ${renderBar(ratio)} ${Math.round(ratio * 100)}% ${done}/${total} (${rate}/s)`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${text}\x1b[K`);
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${text}\n`);
    }
  }

  finish(message: string): void {
    this.stream.write(`${this.stream.isTTY ? '\r\x1b[K' : ''}${message}\n`);
  }
}

export function renderBar(ratio: number, width = 30): string {
  const filled = Math.round(Math.max(0, Math.min(1, ratio)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
