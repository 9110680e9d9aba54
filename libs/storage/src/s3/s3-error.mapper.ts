import { NotFoundError, StoreError, StoreErrorCode, StoreUnavailableError } from '@storesync/core';

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const MISSING_OBJECT = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion']);
const BAD_CHECKSUM = new Set(['BadDigest', 'InvalidDigest', 'XAmzContentChecksumMismatch', 'XAmzContentSHA256Mismatch']);

function errorName(error: SdkErrorShape): string {
  return error.Code ?? error.name ?? error.code ?? 'Error';
}

/** HTTP status of an SDK error, if the request reached a server. */
export function s3Status(error: unknown): number | undefined {
  return (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
}

/** True for "this object (or version) does not exist" from a reachable bucket. */
export function isMissingObject(error: unknown): boolean {
  const e = error as SdkErrorShape;
  return MISSING_OBJECT.has(errorName(e)) || (s3Status(e) === 404 && errorName(e) !== 'NoSuchBucket');
}

export function isMissingBucket(error: unknown): boolean {
  const e = error as SdkErrorShape;
  return errorName(e) === 'NoSuchBucket' || (errorName(e) === 'NotFound' && s3Status(e) === 404);
}

/**
 * Turns an SDK failure into a typed store error. `what` names the object when a 404 means
 * "absent" (callers that treat absence as null handle that before calling this).
 *
 * NoSuchBucket is never "not found": a wrong bucket name or a deleted bucket would
 * otherwise read as "no objects", and the analysis would flag every file as missing.
 * Anything else we cannot classify also means the store did not answer the question.
 */
export function mapS3Error(error: unknown, what?: string): StoreError {
  if (error instanceof StoreError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const name = errorName(e);
  const status = s3Status(e);
  const detail = `${name}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`;
  if (name === 'NoSuchBucket') return new StoreUnavailableError('s3', `bucket missing — ${detail}`, error);
  if (what !== undefined && isMissingObject(e)) return new NotFoundError('s3', what);
  if (BAD_CHECKSUM.has(name)) {
    return new StoreError(StoreErrorCode.Invalid, 's3', `checksum rejected: ${detail}`, { cause: error });
  }
  // Refused, DNS, timeouts, 5xx, throttling, access denied, and whatever else: no answer.
  return new StoreUnavailableError('s3', detail, error);
}
