import type { NotificationItem } from '../notification.types';

/** Items kept of one window beyond the counts (a message stays readable in a burst of thousands). */
export const ITEMS_KEPT = 50;

export interface DigestWindow {
  from: string;
  to: string;
  counts: Map<NotificationItem['trigger'], number>;
  items: NotificationItem[];
}

/**
 * Collects items per key and hands them over as one window, `windowMs` after the first:
 * a burst becomes one message. A window of 0 flushes on the next turn of the event loop.
 */
export class DigestBuffer<K> {
  private readonly open = new Map<K, { window: DigestWindow; timer: NodeJS.Timeout }>();

  constructor(
    private readonly windowMs: number,
    private readonly flush: (key: K, window: DigestWindow) => void,
  ) {}

  add(key: K, item: NotificationItem): void {
    let entry = this.open.get(key);
    if (!entry) {
      const window: DigestWindow = { from: item.at, to: item.at, counts: new Map(), items: [] };
      const timer = setTimeout(() => this.close(key), this.windowMs);
      timer.unref();
      entry = { window, timer };
      this.open.set(key, entry);
    }
    const w = entry.window;
    w.to = item.at;
    w.counts.set(item.trigger, (w.counts.get(item.trigger) ?? 0) + 1);
    if (w.items.length < ITEMS_KEPT) w.items.push(item);
  }

  /** Flushes every open window now (shutdown: what was collected is still sent). */
  closeAll(): void {
    for (const key of [...this.open.keys()]) this.close(key);
  }

  private close(key: K): void {
    const entry = this.open.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.open.delete(key);
    this.flush(key, entry.window);
  }
}
