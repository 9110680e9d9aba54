import type { ApiErrorBody, ErrorCode } from '@storesync/contract';

/**
 * A non-2xx answer from storesync. `code` is the contract's stable error code: branch on it
 * (`error.code === 'analysis_running'`), never on `message`. `body` is the whole error body.
 */
export class StoreSyncError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly body: ApiErrorBody & { code: C };

  constructor(body: ApiErrorBody & { code: C }) {
    super(body.message);
    this.name = 'StoreSyncError';
    this.code = body.code;
    this.status = body.statusCode;
    this.body = body;
  }

  /** Narrows to one code: `if (StoreSyncError.is(error, 'analysis_running')) error.body.run_id`. */
  static is<K extends ErrorCode>(error: unknown, code?: K): error is StoreSyncError<K> {
    return error instanceof StoreSyncError && (code === undefined || error.code === code);
  }
}

/**
 * The server could not be reached, or answered without a contract body (a proxy's page, a
 * crash): `status` is the HTTP status when there was an answer, `null` when there was none.
 */
export class StoreSyncTransportError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreSyncTransportError';
  }
}

/** The error of a failed answer: a StoreSyncError when the body is the contract's, else a transport error. */
export function errorFromResponse(status: number, body: unknown): StoreSyncError | StoreSyncTransportError {
  if (isErrorBody(body)) return new StoreSyncError({ ...body, statusCode: body.statusCode ?? status });
  return new StoreSyncTransportError(`storesync answered ${status} without an error body`, status);
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const { code, message } = body as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string';
}
