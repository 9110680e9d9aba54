import { Logger } from '@nestjs/common';
import { StateCollection, StateDocument, StateFilter, StateFindOptions, StateStore } from '../ports/state.store';
import { DeadlineExpiredError } from './deadline';
import { DeadlineRunner } from './deadline-runner';
import { StoreDownError, StoreLatch } from './store-latch';
import { isTransientStoreError } from './transient-errors';

export interface StateRetrySettings {
  /** Attempts of one call in all (1: no retry). */
  attempts: number;
  /** First backoff; each next one doubles, with full jitter. */
  baseDelayMs: number;
}

export interface ResilientStateOptions {
  timeoutMs: number;
  retry: StateRetrySettings;
  /** As for the metadata store: a slow query on a live server may run this long in all. */
  slowQueryCeilingMs?: number;
  /** What the wrappers of one server know about it (the metadata store's, on the same MongoDB). */
  latch?: StoreLatch;
  /** Test hook for the backoff's randomness. */
  random?: () => number;
}

/**
 * The StateStore every caller gets: every call has a deadline (STORE_TIMEOUT_MS, a slow
 * query on a live server up to the ceiling), and a call that meets a transient error
 * (FerretDB/SQLite "database is locked", a connection reset, a Mongo error labelled
 * retryable) is tried again after an exponential, jittered backoff, a bounded number of
 * times and within twice the deadline in all: one busy answer must not fail a run.
 * A call that ran out of its deadline is not retried: the store hangs, and waiting
 * again would only hold the caller longer.
 */
export class ResilientStateStore extends StateStore {
  private readonly logger = new Logger(ResilientStateStore.name);
  private readonly collections = new Map<string, StateCollection<StateDocument>>();
  private readonly runner: DeadlineRunner;

  constructor(
    private readonly inner: StateStore,
    private readonly options: ResilientStateOptions,
  ) {
    super();
    const ping = () => inner.ping();
    const guard = options.slowQueryCeilingMs ? { ceilingMs: options.slowQueryCeilingMs, alive: ping } : undefined;
    this.runner = new DeadlineRunner('mongodb', options.timeoutMs, ping, guard, options.latch);
  }

  collection<T extends StateDocument>(name: string, indexes?: string[][]): StateCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new ResilientStateCollection<StateDocument>(this.inner.collection(name, indexes), name, this);
      this.collections.set(name, collection);
    }
    return collection as unknown as StateCollection<T>;
  }

  // The liveness probe itself: the plain deadline, no guard, no retry.
  ping(): Promise<void> {
    return this.runner.probe();
  }

  close(): Promise<void> {
    return this.runner.close(() => this.inner.close());
  }

  /** One call: attempts with backoff, each under the deadline, all within two deadlines. */
  async run<T>(operation: string, work: () => Promise<T>, retryWork: () => Promise<T> = work): Promise<T> {
    const { timeoutMs, retry } = this.options;
    const budgetEnds = Date.now() + 2 * timeoutMs;
    const random = this.options.random ?? Math.random;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runner.call(operation, attempt === 1 ? work : retryWork);
      } catch (error) {
        const delay = Math.round(random() * retry.baseDelayMs * 2 ** (attempt - 1));
        const retryable = !(error instanceof DeadlineExpiredError || error instanceof StoreDownError) && isTransientStoreError(error);
        if (!retryable || attempt >= retry.attempts || Date.now() + delay + timeoutMs / 10 > budgetEnds) throw error;
        this.logger.warn({ message: 'state store call failed, retrying', operation, attempt, delayMs: delay, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Each document of a stream under the deadline (one per driver batch in practice); not retried. */
  stream<T>(operation: string, open: () => AsyncIterable<T>): AsyncIterable<T> {
    return this.runner.pages(operation, open);
  }
}

class ResilientStateCollection<T extends StateDocument> extends StateCollection<T> {
  constructor(
    private readonly inner: StateCollection<T>,
    private readonly name: string,
    private readonly store: ResilientStateStore,
  ) {
    super();
  }

  get(id: string): Promise<T | null> {
    return this.store.run(`read ${this.name}`, () => this.inner.get(id));
  }

  // A failed insert may have landed in part (the adapters insert in chunks): the retry
  // writes the same documents by id, which inserts the rest and rewrites what landed.
  insert(doc: T): Promise<void> {
    return this.store.run(
      `insert into ${this.name}`,
      () => this.inner.insert(doc),
      () => this.inner.upsertMany([doc]),
    );
  }

  insertMany(docs: T[]): Promise<void> {
    return this.store.run(
      `insert into ${this.name}`,
      () => this.inner.insertMany(docs),
      () => this.inner.upsertMany(docs),
    );
  }

  // Idempotent: a retry inserts what the failed attempt did not.
  insertNew(docs: T[]): Promise<string[]> {
    return this.store.run(`insert into ${this.name}`, () => this.inner.insertNew(docs));
  }

  upsertMany(docs: T[]): Promise<void> {
    return this.store.run(`write ${this.name}`, () => this.inner.upsertMany(docs));
  }

  update(id: string, fields: Partial<T>): Promise<boolean> {
    return this.store.run(`update ${this.name}`, () => this.inner.update(id, fields));
  }

  updateMany(filter: StateFilter, fields: Partial<T>): Promise<number> {
    return this.store.run(`update ${this.name}`, () => this.inner.updateMany(filter, fields));
  }

  find(filter: StateFilter, options?: StateFindOptions): Promise<T[]> {
    return this.store.run(`query ${this.name}`, () => this.inner.find(filter, options));
  }

  override stream(filter: StateFilter, pageSize?: number): AsyncIterable<T> {
    return this.store.stream(`read ${this.name}`, () => this.inner.stream(filter, pageSize));
  }

  count(filter: StateFilter): Promise<number> {
    return this.store.run(`count ${this.name}`, () => this.inner.count(filter));
  }

  deleteMany(filter: StateFilter): Promise<number> {
    return this.store.run(`delete from ${this.name}`, () => this.inner.deleteMany(filter));
  }
}
