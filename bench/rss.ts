/** Samples process memory every `intervalMs` while a measurement runs. */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  peakRss = 0;
  peakHeapUsed = 0;
  samples = 0;

  constructor(private readonly intervalMs = 50) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): this {
    clearInterval(this.timer);
    this.sample();
    return this;
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.samples += 1;
    if (rss > this.peakRss) this.peakRss = rss;
    if (heapUsed > this.peakHeapUsed) this.peakHeapUsed = heapUsed;
  }
}

/** Collects garbage when node runs with --expose-gc (npm run bench does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export const MB = 1024 * 1024;

/** CPU seconds (user + system) this process spent since `from` (a process.cpuUsage() reading). */
export function cpuSecondsSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}
