import { isNotFound, isStoreUnavailable, sha256OfStream } from '@storesync/core';
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
    return await sha256OfStream(await objects.getStream(key));
  } catch (error) {
    if (isNotFound(error)) return null;
    if (isStoreUnavailable(error)) return undefined;
    throw error;
  }
}
