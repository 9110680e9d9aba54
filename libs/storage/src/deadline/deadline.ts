import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import { StoreName, StoreUnavailableError } from '@storesync/core';

/**
 * The abort signal of the store call in progress, for adapters whose client takes one
 * (AWS SDK v3 `abortSignal`, the MongoDB driver's `signal`, fetch). Carried by async
 * context so the ports keep their signatures and adapters need one line to honour it.
 */
const callSignal = new AsyncLocalStorage<AbortSignal>();

export function deadlineSignal(): AbortSignal | undefined {
  return callSignal.getStore();
}

export class DeadlineExpiredError extends StoreUnavailableError {
  constructor(
    store: StoreName,
    operation: string,
    timeoutMs: number,
    /** A ping missed its deadline too: the server hangs (not merely a slow query). */
    readonly livenessFailed = false,
  ) {
    super(store, `${operation} did not answer within ${timeoutMs} ms (STORE_TIMEOUT_MS)${livenessFailed ? ', nor did a ping' : ''}`);
  }
}

export interface LivenessGuard {
  /** How long the call may run in all while `alive` keeps answering. */
  ceilingMs: number;
  /** A cheap request that answers within the deadline when the server is alive (a ping). */
  alive(): Promise<void>;
}

/**
 * Runs one store call with a deadline: when it expires the call's signal is aborted
 * and the caller gets StoreUnavailableError at once, whatever the client is still doing
 * (its own retries included). With a guard, a call may outlive the deadline while the
 * server keeps answering a ping every deadline (FerretDB sorts a whole collection before
 * a query's first batch), up to the guard's ceiling; a hung server fails its ping, so the
 * caller still hears within two deadlines.
 */
export function withDeadline<T>(store: StoreName, operation: string, timeoutMs: number, work: () => Promise<T>, guard?: LivenessGuard): Promise<T> {
  const controller = new AbortController();
  const running = callSignal.run(controller.signal, work);
  // Whatever the call does after we gave up on it must not surface as unhandled.
  running.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const expire = (error: StoreUnavailableError) => {
      controller.abort(error);
      settle(() => reject(error));
    };
    const arm = () => {
      timer = setTimeout(
        () => {
          const budget = guard ? guard.ceilingMs - (Date.now() - started) : 0;
          if (budget <= 0 || !guard) return expire(new DeadlineExpiredError(store, operation, guard?.ceilingMs ?? timeoutMs));
          // The server answers a ping within the deadline: it is working, not hung. Wait one more.
          withDeadline(store, `${operation}: liveness ping`, Math.min(timeoutMs, budget), () => guard.alive()).then(
            () => !settled && arm(),
            () => expire(new DeadlineExpiredError(store, operation, timeoutMs, true)),
          );
        },
        guard ? Math.min(timeoutMs, guard.ceilingMs) : timeoutMs,
      );
    };
    arm();
    running.then(
      (value) => settle(() => resolve(value)),
      // The call's own failure, passed on as it is (a typed store error, or a bug).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

/**
 * A stream of pages with a deadline per page, not one for the whole scan: each `next()`
 * is a store call of its own. When a page misses its deadline the source is closed in
 * the background (never awaited: it may be waiting on the hung server) and the reader
 * gets StoreUnavailableError.
 */
export type PageCall = <R>(operation: string, work: () => Promise<R>) => Promise<R>;

export async function* pagesWithDeadline<T>(operation: string, open: () => AsyncIterable<T>, call: PageCall): AsyncGenerator<T> {
  const iterator = open()[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (let page = 0; ; page++) {
      const next = await call(`${operation} (page ${page + 1})`, () => iterator.next());
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/**
 * A readable whose every chunk has a deadline while the reader waits for it (an idle
 * deadline: a slow reader is not the store's fault). A source that stops sending fails
 * the stream with StoreUnavailableError and is destroyed.
 */
export function readableWithDeadline(operation: string, source: Readable, call: PageCall): Readable {
  const chunks = pagesWithDeadline(operation, () => source as AsyncIterable<Buffer>, call);
  const guarded = Readable.from(chunks, { objectMode: false });
  guarded.once('error', () => source.destroy());
  guarded.once('close', () => source.destroy());
  return guarded;
}
