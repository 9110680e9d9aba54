import { Injectable, Logger } from '@nestjs/common';
import { isStoreUnavailable, type StoreName } from '@storesync/core';

/** One finished call to a store port: how long it took and whether the store answered. */
export interface StoreCall {
  store: StoreName | 'state';
  /** The port method, e.g. `head`, `getFilePoints`; a page of a listing counts as one call. */
  operation: string;
  durationMs: number;
  /** ok: answered; unavailable: down or timed out; error: answered with an error (not found, invalid). */
  outcome: 'ok' | 'unavailable' | 'error';
}

export type StoreCallListener = (call: StoreCall) => void;

/**
 * Where the observed ports report each call. Listeners (metrics) subscribe here instead of
 * reaching into the adapters; a failing listener never fails the store call.
 */
@Injectable()
export class StoreCallEvents {
  private readonly logger = new Logger(StoreCallEvents.name);
  private readonly listeners = new Set<StoreCallListener>();

  subscribe(listener: StoreCallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  record(call: StoreCall): void {
    for (const listener of this.listeners) {
      try {
        listener(call);
      } catch (error) {
        this.logger.warn({ message: 'store call listener failed', error: (error as Error).message });
      }
    }
  }
}

/** Methods of a port that are not store round trips (a change stream waits for changes: its wait is no latency). */
const UNTIMED = new Set(['constructor', 'close', 'watchChanges']);
/**
 * The ports' record-at-a-time helpers, built on their page methods: they run against the
 * proxy so each page they fetch is timed, not each record they yield.
 */
const COMPOSED = new Set(['streamFiles', 'stream']);

function outcomeOf(error: unknown): StoreCall['outcome'] {
  return isStoreUnavailable(error) ? 'unavailable' : 'error';
}

/**
 * The same port, timing every method that returns a promise or an async iterable (each
 * page of a listing is one call). Calls go to the adapter itself, so a method that calls
 * another method of the same adapter is counted once.
 */
export function observeStore<T extends object>(port: T, store: StoreCall['store'], events: StoreCallEvents): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || UNTIMED.has(property)) return value;
      const method = value as (...args: unknown[]) => unknown;
      if (COMPOSED.has(property)) return (...args: unknown[]) => Reflect.apply(method, receiver, args);
      // The state store hands out collections: their calls are the round trips.
      if (property === 'collection') return (...args: unknown[]) => observeStore(Reflect.apply(method, target, args) as object, store, events);
      return (...args: unknown[]) => {
        const started = performance.now();
        const done = (outcome: StoreCall['outcome']) => events.record({ store, operation: property, durationMs: performance.now() - started, outcome });
        let result: unknown;
        try {
          result = Reflect.apply(method, target, args);
        } catch (error) {
          done(outcomeOf(error));
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (answer: unknown) => {
              done('ok');
              return answer;
            },
            (error: unknown) => {
              done(outcomeOf(error));
              throw error;
            },
          );
        }
        if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
          return timedPages(result as AsyncIterable<unknown>, store, property, events);
        }
        return result;
      };
    },
  });
}

async function* timedPages<P>(pages: AsyncIterable<P>, store: StoreCall['store'], operation: string, events: StoreCallEvents): AsyncIterable<P> {
  const iterator = pages[Symbol.asyncIterator]();
  try {
    for (;;) {
      const started = performance.now();
      let next: IteratorResult<P>;
      try {
        next = await iterator.next();
      } catch (error) {
        events.record({ store, operation, durationMs: performance.now() - started, outcome: outcomeOf(error) });
        throw error;
      }
      if (next.done) return;
      events.record({ store, operation, durationMs: performance.now() - started, outcome: 'ok' });
      yield next.value;
    }
  } finally {
    // A consumer that stops early (break) closes the adapter's cursor too.
    await iterator.return?.();
  }
}
