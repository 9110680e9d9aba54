import { QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { StoreError, StoreErrorCode, StoreUnavailableError } from '@storesync/core';

interface ApiErrorShape {
  status?: unknown;
  data?: { status?: { error?: unknown } } | string;
  message?: string;
  cause?: { code?: string; message?: string };
}

/** HTTP status of a Qdrant API error, if the request reached a server. */
export function qdrantStatus(error: unknown): number | undefined {
  const status = (error as ApiErrorShape | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Turns a client failure into a typed store error.
 *
 * A 404 is the collection missing (point reads never 404; absent ids are just not
 * returned). That is a wrong QDRANT_COLLECTION or a wiped store, and must never read as
 * "this file has no vectors": the analysis would report every file as missing_vectors
 * and repair would re-embed everything. So it is StoreUnavailableError, like refused
 * connections, timeouts, 5xx, throttling and rejected credentials. Only the other 4xx
 * (a request Qdrant understood and refused, such as a wrong vector size) are Invalid.
 */
export function mapQdrantError(error: unknown, operation: string, timeoutMs: number): StoreError {
  if (error instanceof StoreError) return error;
  // The client's own timeout aborts its fetch; depending on where the abort lands it
  // surfaces as its timeout error or as the bare AbortError of fetch.
  if (error instanceof QdrantClientTimeoutError || (error as { name?: string } | null)?.name === 'AbortError') {
    return new StoreUnavailableError('qdrant', `${operation} timed out after ${timeoutMs} ms`, error);
  }
  const status = qdrantStatus(error);
  const detail = `${operation}: ${describe(error)}`;
  if (status === undefined || status >= 500 || [401, 403, 404, 408, 429].includes(status)) {
    return new StoreUnavailableError('qdrant', detail, error);
  }
  return new StoreError(StoreErrorCode.Invalid, 'qdrant', `qdrant rejected ${detail}`, { cause: error });
}

function describe(error: unknown): string {
  const e = (error ?? {}) as ApiErrorShape;
  const status = qdrantStatus(error);
  const serverMessage = typeof e.data === 'object' ? e.data?.status?.error : e.data;
  const message = typeof serverMessage === 'string' && serverMessage ? serverMessage : (e.message ?? String(error));
  // fetch reports "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in the cause.
  const cause = e.cause?.code ?? e.cause?.message;
  return `${status ? `HTTP ${status} ` : ''}${message}${cause ? ` (${cause})` : ''}`;
}
