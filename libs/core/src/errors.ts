export type StoreName = 'mongodb' | 's3' | 'qdrant';

export enum StoreErrorCode {
  NotFound = 'NOT_FOUND',
  Unavailable = 'STORE_UNAVAILABLE',
  InvalidKey = 'INVALID_KEY',
  Conflict = 'CONFLICT',
  Invalid = 'INVALID',
}

/** Base of every error a store adapter throws; callers branch on `code`, never on messages. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    readonly store: StoreName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends StoreError {
  constructor(store: StoreName, what: string) {
    super(StoreErrorCode.NotFound, store, `${what} not found in ${store}`);
  }
}

/** Connection refused, timeout, 5xx: the store could not answer, which says nothing about the data. */
export class StoreUnavailableError extends StoreError {
  constructor(store: StoreName, message: string, cause?: unknown) {
    super(StoreErrorCode.Unavailable, store, `${store} unavailable: ${message}`, { cause });
  }
}

export class InvalidKeyError extends StoreError {
  constructor(store: StoreName, reason: string) {
    super(StoreErrorCode.InvalidKey, store, `invalid key: ${reason}`);
  }
}

export class ConflictError extends StoreError {
  constructor(store: StoreName, message: string) {
    super(StoreErrorCode.Conflict, store, message);
  }
}

export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreError && error.code === StoreErrorCode.Unavailable;
}

export function isNotFound(error: unknown): error is NotFoundError {
  return error instanceof StoreError && error.code === StoreErrorCode.NotFound;
}
