import { isStoreUnavailable } from '@storesync/core';

// SQLite behind FerretDB v1 ("database is locked", SQLITE_BUSY), a connection reset, and
// the MongoDB driver's own transient errors. Not a server that cannot be reached: the
// driver already spent the deadline selecting one.
const TRANSIENT_MESSAGE = /database is (locked|busy)|SQLITE_BUSY|SQLITE_LOCKED|ECONNRESET|EPIPE|socket hang up|not primary|node is recovering/i;
const TRANSIENT_NAMES = new Set(['MongoNetworkError', 'MongoPoolClearedError', 'MongoWriteConcernError']);
const TRANSIENT_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'PoolRequestedRetry'];
// Server error codes MongoDB marks retryable (HostUnreachable, NotWritablePrimary, ShutdownInProgress…).
const TRANSIENT_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 63, 150, 64]);

interface ErrorShape {
  name?: string;
  message?: string;
  code?: number | string;
  errorLabels?: string[];
  errorLabelSet?: Set<string>;
  cause?: unknown;
}

function labels(error: ErrorShape): string[] {
  return [...(error.errorLabels ?? []), ...(error.errorLabelSet ? [...error.errorLabelSet] : [])];
}

/**
 * True when a failed store call may well succeed if tried again soon: the store said
 * "busy" or the connection broke, as opposed to a refusal (bad input, a duplicate id)
 * or a store that does not answer at all. Looks through the adapter's error to its cause.
 */
export function isTransientStoreError(error: unknown): boolean {
  if (!isStoreUnavailable(error)) return false;
  for (let e = error as ErrorShape | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorShape | undefined, depth++) {
    if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
    if (labels(e).some((label) => TRANSIENT_LABELS.includes(label))) return true;
    if (typeof e.code === 'number' && TRANSIENT_CODES.has(e.code)) return true;
    if (typeof e.code === 'string' && /^(ECONNRESET|EPIPE)$/.test(e.code)) return true;
    if (e.message && TRANSIENT_MESSAGE.test(e.message)) return true;
  }
  return false;
}
