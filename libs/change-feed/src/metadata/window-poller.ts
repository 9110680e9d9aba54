import type { FileRecord } from '@storesync/core';
import type { MetadataStore } from '@storesync/storage';

export interface PollResult {
  /** Records new or changed since the previous poll. */
  changed: FileRecord[];
  /** Ids seen in the overlap window last time and absent now: deleted outright (no soft delete). */
  deleted: string[];
  highWater: Date;
}

const PAGE = 1000;

/**
 * Change detection by `updated_at` for servers without change streams. Each poll re-reads
 * from an overlap before its high-water mark (late commits, writers' clocks), so it tells
 * what changed by comparing with the ids and timestamps it saw there last time; an id seen
 * there and now gone was deleted outright. The high-water mark never passes our own clock,
 * so one writer with a clock ahead cannot make the poller skip everyone else's writes.
 */
export class WindowPoller {
  private seen = new Map<string, number>();

  constructor(
    private readonly store: Pick<MetadataStore, 'changedSince'>,
    private readonly overlapMs: number,
    private highWater: Date,
    private readonly now: () => number = Date.now,
  ) {}

  get mark(): Date {
    return this.highWater;
  }

  async poll(): Promise<PollResult> {
    const windowStart = new Date(this.highWater.getTime() - this.overlapMs);
    const records: FileRecord[] = [];
    let cursor: { updatedAt: Date; fileId: string } | undefined;
    for (;;) {
      const page = await this.store.changedSince(windowStart, PAGE, cursor);
      records.push(...page);
      if (page.length < PAGE) break;
      const last = page[page.length - 1];
      cursor = { updatedAt: last.updatedAt, fileId: last.fileId };
    }
    const changed = records.filter((r) => this.seen.get(r.fileId) !== r.updatedAt.getTime());
    const present = new Set(records.map((r) => r.fileId));
    const deleted = [...this.seen.entries()].filter(([id, at]) => at >= windowStart.getTime() && !present.has(id)).map(([id]) => id);
    const newest = records.reduce((max, r) => Math.max(max, r.updatedAt.getTime()), this.highWater.getTime());
    this.highWater = new Date(Math.max(this.highWater.getTime(), Math.min(newest, this.now())));
    const keepFrom = this.highWater.getTime() - this.overlapMs;
    this.seen = new Map(records.filter((r) => r.updatedAt.getTime() >= keepFrom).map((r) => [r.fileId, r.updatedAt.getTime()]));
    return { changed, deleted, highWater: this.highWater };
  }
}
