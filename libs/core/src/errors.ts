import type { ApiErrorBody, ErrorCode } from '@storesync/contract';

export type StoreName = 'mongodb' | 's3' | 'qdrant';

/** Extra fields an error puts in its HTTP body beside `code` and `message` (wire names). */
export type ErrorBodyFields = Partial<Omit<ApiErrorBody, 'statusCode' | 'error' | 'code' | 'message'>>;

/**
 * Base of every error the API may answer with: it carries its stable wire code (the contract's
 * ERROR_CATALOGUE gives the status), so the HTTP filter needs no list of classes.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly bodyFields: ErrorBodyFields = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The codes a store adapter uses; each is a wire code too. */
export enum StoreErrorCode {
  NotFound = 'not_found',
  Unavailable = 'store_unavailable',
  InvalidKey = 'invalid_key',
  Conflict = 'conflict',
  Invalid = 'validation_failed',
}

/** Base of every error a store adapter throws; callers branch on `code`, never on messages. */
export class StoreError extends DomainError {
  declare readonly code: StoreErrorCode;

  constructor(
    code: StoreErrorCode,
    readonly store: StoreName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, { store }, options);
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
