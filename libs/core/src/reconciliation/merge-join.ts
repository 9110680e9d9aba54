import { compareUtf8 } from '../keys';

export type JoinRow<L, R> = { key: string; left: L | null; right: R | null };

/** One side of a join: the page being read and where in it, refilled from its source. */
class JoinSide<T> {
  private page: T[] = [];
  private index = 0;
  private ended = false;
  private previousKey: string | null = null;
  /** The current item's key (valid while `ready`). */
  key = '';

  constructor(
    private readonly source: AsyncIterator<T[]>,
    private readonly keyOf: (item: T) => string,
    private readonly name: string,
  ) {}

  get ready(): boolean {
    return this.index < this.page.length;
  }

  get exhausted(): boolean {
    return this.ended && !this.ready;
  }

  get item(): T {
    return this.page[this.index];
  }

  /** Reads the next non-empty page; false when the source has ended. */
  async refill(): Promise<boolean> {
    while (!this.ready && !this.ended) {
      const step = await this.source.next();
      if (step.done) {
        this.ended = true;
      } else {
        this.page = step.value;
        this.index = 0;
        if (this.ready) this.check();
      }
    }
    return this.ready;
  }

  advance(): void {
    this.index += 1;
    if (this.ready) this.check();
  }

  /** A store that sorts differently (a collation, a bug) would silently pair wrong rows: fail loudly. */
  private check(): void {
    const key = this.keyOf(this.page[this.index]);
    if (this.previousKey !== null && compareUtf8(this.previousKey, key) > 0) {
      throw new Error(`mergeJoin: ${this.name} stream is not in UTF-8 byte order ("${this.previousKey}" before "${key}")`);
    }
    this.previousKey = key;
    this.key = key;
  }

  async close(): Promise<void> {
    await this.source.return?.();
  }
}

/**
 * Joins two streams of pages, each sorted by key in UTF-8 byte order, into pages of rows:
 * one row per key (left-only, right-only or both), in order. Rows go out whenever a side
 * needs its next page, so they arrive as soon as they are known, and the work between two
 * awaits is a page, not an item. Several left items may share a key; each then pairs with
 * the same right item.
 */
export async function* mergeJoinPages<L, R>(
  left: AsyncIterable<L[]>,
  right: AsyncIterable<R[]>,
  leftKey: (item: L) => string,
  rightKey: (item: R) => string,
): AsyncGenerator<JoinRow<L, R>[]> {
  const l = new JoinSide(left[Symbol.asyncIterator](), leftKey, 'left');
  const r = new JoinSide(right[Symbol.asyncIterator](), rightKey, 'right');
  let rows: JoinRow<L, R>[] = [];
  let lastRight: { key: string; item: R } | null = null;
  try {
    for (;;) {
      const starved = (!l.ready && !l.exhausted) || (!r.ready && !r.exhausted);
      if (starved) {
        if (rows.length > 0) {
          yield rows;
          rows = [];
        }
        if (!l.ready) await l.refill();
        if (!r.ready) await r.refill();
        continue;
      }
      if (!l.ready && !r.ready) break;
      if (l.ready && lastRight !== null && l.key === lastRight.key) {
        rows.push({ key: l.key, left: l.item, right: lastRight.item });
        l.advance();
      } else if (!r.ready) {
        rows.push({ key: l.key, left: l.item, right: null });
        l.advance();
      } else if (!l.ready) {
        rows.push({ key: r.key, left: null, right: r.item });
        r.advance();
      } else {
        const order = compareUtf8(l.key, r.key);
        if (order < 0) {
          rows.push({ key: l.key, left: l.item, right: null });
          l.advance();
        } else if (order > 0) {
          rows.push({ key: r.key, left: null, right: r.item });
          r.advance();
        } else {
          lastRight = { key: r.key, item: r.item };
          rows.push({ key: l.key, left: l.item, right: r.item });
          l.advance();
          r.advance();
        }
      }
    }
    if (rows.length > 0) yield rows;
  } finally {
    // Stopping early (a timeout, a consumer that breaks) must close both sources.
    await Promise.all([l.close(), r.close()]);
  }
}
