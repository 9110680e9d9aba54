import { createHash } from 'node:crypto';
import { isNotFound, isStoreUnavailable } from '@storesync/core';
import type { ObjectStore } from '@storesync/storage';

/**
 * SHA-256 of an object's bytes for deep checks: the stored checksum when S3 kept one,
 * else the bytes hashed as they stream. null when the object vanished; undefined when
 * the store failed (unknown, not a mismatch).
 */
export async function objectSha256(objects: ObjectStore, key: string): Promise<string | null | undefined> {
  try {
    const head = await objects.head(key);
    if (!head) return null;
    if (head.sha256) return head.sha256;
    const hash = createHash('sha256');
    for await (const chunk of await objects.getStream(key)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch (error) {
    if (isNotFound(error)) return null;
    if (isStoreUnavailable(error)) return undefined;
    throw error;
  }
}

/** Runs fn over items with at most `limit` in flight, keeping order of results. */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}
