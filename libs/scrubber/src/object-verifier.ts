import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isNotFound, isStoreUnavailable, StoreUnavailableError } from '@storesync/core';
import type { ObjectStore } from '@storesync/storage';
import type { BytePacer } from './byte-pacer';

/** What reading one object's bytes gave. */
export type ObjectVerdict =
  | { kind: 'hashed'; sha256: string; bytes: number }
  | { kind: 'missing' }
  /** The store did not answer (or stalled mid-body): unknown, never a mismatch. */
  | { kind: 'unavailable'; error: string }
  /** The run's time budget ended during the read: not verified, redone next run. */
  | { kind: 'aborted' };

/**
 * Hashes an object's bytes as they stream (GET + SHA-256), paced by the run's byte budget.
 * The stored S3 checksum is not used: it was computed when the object was written, so it
 * says nothing about the bytes the bucket holds now, which is what a scrubber checks.
 * A body that stops flowing for `stallMs` is a store that hung: unavailable.
 */
export async function hashObject(objects: ObjectStore, key: string, pacer: BytePacer, signal: AbortSignal, stallMs: number): Promise<ObjectVerdict> {
  if (signal.aborted) return { kind: 'aborted' };
  let stream: Readable | undefined;
  let stall: NodeJS.Timeout | undefined;
  let fail: (error: Error) => void = () => undefined;
  const stalled = new Promise<never>((_, reject) => (fail = reject));
  // Armed while waiting on the store only: a wait imposed by the byte pacer is not a stall.
  const arm = () => {
    clearTimeout(stall);
    stall = setTimeout(() => fail(new StoreUnavailableError('s3', `no bytes from the object store for ${stallMs} ms`)), stallMs);
  };
  const disarm = () => clearTimeout(stall);
  arm();
  stalled.catch(() => undefined);
  const abort = () => {
    stream?.destroy();
    fail(new Error('aborted'));
  };
  signal.addEventListener('abort', abort, { once: true });
  const opening = objects.getStream(key);
  try {
    stream = await Promise.race([opening, stalled]);
    if (signal.aborted) return { kind: 'aborted' };
    const hash = createHash('sha256');
    let bytes = 0;
    const read = async () => {
      for await (const chunk of stream!) {
        const data = chunk as Buffer;
        hash.update(data);
        bytes += data.length;
        if (!pacer.limited) {
          // Unlimited: nothing to wait for, the stall timer just starts over (no new timer per chunk).
          stall?.refresh();
          continue;
        }
        disarm();
        await pacer.take(data.length, signal);
        if (signal.aborted) return;
        arm();
      }
    };
    arm();
    await Promise.race([read(), stalled]);
    if (signal.aborted) return { kind: 'aborted' };
    return { kind: 'hashed', sha256: hash.digest('hex'), bytes };
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    if (isNotFound(error)) return { kind: 'missing' };
    if (isStoreUnavailable(error)) return { kind: 'unavailable', error: error.message };
    // A body cut off mid-way (connection reset) is the store failing, not a finding.
    if (stream) return { kind: 'unavailable', error: (error as Error).message };
    throw error;
  } finally {
    disarm();
    signal.removeEventListener('abort', abort);
    if (stream && !stream.destroyed) stream.destroy();
    // Given up on before it opened: close it whenever it does.
    if (!stream)
      opening.then(
        (late) => late.destroy(),
        () => undefined,
      );
  }
}
