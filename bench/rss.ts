/**
 * Samples process memory every `intervalMs` while a measurement runs. With `liveEveryMs`
 * (and node's --expose-gc) it also collects garbage that often and records the heap left
 * after it: live memory, which is what "flat" is about, where heap used also counts garbage
 * the collector has not reached yet.
 */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  private liveTimer?: NodeJS.Timeout;
  peakRss = 0;
  peakHeapUsed = 0;
  /** Largest heap used right after a forced collection; 0 without liveEveryMs or --expose-gc. */
  peakLiveHeap = 0;
  samples = 0;
  liveSamples = 0;

  constructor(
    private readonly intervalMs = 50,
    private readonly liveEveryMs?: number,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    if (this.liveEveryMs !== undefined && gcAvailable()) this.liveTimer = setInterval(() => this.sampleLive(), this.liveEveryMs);
    return this;
  }

  stop(): this {
    clearInterval(this.timer);
    clearInterval(this.liveTimer);
    this.sample();
    return this;
  }

  /** Heap used after a full collection now (also counted as a live sample); undefined without --expose-gc. */
  sampleLive(): number | undefined {
    const live = liveHeap();
    if (live === undefined) return undefined;
    this.liveSamples += 1;
    if (live > this.peakLiveHeap) this.peakLiveHeap = live;
    return live;
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.samples += 1;
    if (rss > this.peakRss) this.peakRss = rss;
    if (heapUsed > this.peakHeapUsed) this.peakHeapUsed = heapUsed;
  }
}

function gcAvailable(): boolean {
  return typeof (globalThis as { gc?: () => void }).gc === 'function';
}

/** Collects garbage when node runs with --expose-gc (npm run bench does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Heap used after a full collection: what is still reachable. Undefined without --expose-gc. */
export function liveHeap(): number | undefined {
  if (!gcAvailable()) return undefined;
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export const MB = 1024 * 1024;

/** CPU seconds (user + system) this process spent since `from` (a process.cpuUsage() reading). */
export function cpuSecondsSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}
