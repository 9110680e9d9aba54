import type { Readable } from 'node:stream';
import type { StoreName } from '@storesync/core';
import { LivenessGuard, pagesWithDeadline, readableWithDeadline, withDeadline } from './deadline';
import { StoreLatch } from './store-latch';

/**
 * The deadline machinery one wrapping adapter uses for its store: each call under a
 * deadline, a latch that fails calls fast while the store is known down, and page
 * streams with a deadline per page.
 */
export class DeadlineRunner {
  readonly latch: StoreLatch;

  constructor(
    readonly store: StoreName,
    readonly timeoutMs: number,
    private readonly ping: () => Promise<void>,
    /** Lets slow queries of a live server run past the deadline (MongoDB). */
    private readonly guard?: LivenessGuard,
    /** Shared by wrappers of one server (metadata and state on one MongoDB): one learns it hangs, both fail fast. */
    latch?: StoreLatch,
  ) {
    this.latch = latch ?? new StoreLatch(store, timeoutMs, ping);
  }

  /** One call; `budgetMs` for calls made of several requests (default one deadline). */
  async call<T>(operation: string, work: () => Promise<T>, budgetMs = this.timeoutMs): Promise<T> {
    await this.latch.admit();
    try {
      return await withDeadline(this.store, operation, budgetMs, work, this.guard && { ...this.guard, ceilingMs: Math.max(this.guard.ceilingMs, budgetMs) });
    } catch (error) {
      this.latch.failed(error);
      throw error;
    }
  }

  /**
   * A call whose length the wrapper cannot know (a copy of an object of unknown size): it
   * may run up to `ceilingMs` while the store answers a ping every deadline.
   */
  async callWhileAlive<T>(operation: string, work: () => Promise<T>, ceilingMs: number): Promise<T> {
    await this.latch.admit();
    try {
      return await withDeadline(this.store, operation, this.timeoutMs, work, { ceilingMs, alive: this.ping });
    } catch (error) {
      this.latch.failed(error);
      throw error;
    }
  }

  pages<T>(operation: string, open: () => AsyncIterable<T>): AsyncIterable<T> {
    return pagesWithDeadline(operation, open, (op, work) => this.call(op, work));
  }

  readable(operation: string, source: Readable): Readable {
    return readableWithDeadline(operation, source, (op, work) => this.call(op, work));
  }

  /** Always asks the store (a health probe must see it come back) and tells the latch what it saw. */
  async probe(): Promise<void> {
    try {
      await withDeadline(this.store, 'ping', this.timeoutMs, this.ping);
      this.latch.observed(true);
    } catch (error) {
      this.latch.observed(false, (error as Error).message);
      throw error;
    }
  }

  close(work: () => Promise<void>): Promise<void> {
    this.latch.close();
    return withDeadline(this.store, 'close', this.timeoutMs, work);
  }
}
