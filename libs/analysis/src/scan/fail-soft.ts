import { isStoreUnavailable } from '@storesync/core';

/** Where a stream stopped because its store failed. */
export interface StreamFailure {
  error?: Error;
}

/**
 * Ends the stream quietly when its store becomes unavailable, recording the error, so
 * the join can mark what it could not compare as unknown instead of absent.
 * Any other error (a bug) still propagates.
 */
export async function* failSoft<T>(source: AsyncIterable<T>, failure: StreamFailure): AsyncGenerator<T> {
  try {
    for await (const item of source) yield item;
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    failure.error = error;
  }
}
