import { isNotFound, isStoreUnavailable } from '@storesync/core';
import { objectSha256, type ObjectStore } from '@storesync/storage';

/**
 * SHA-256 of an object's bytes for deep checks (see objectSha256). null when the object
 * vanished; undefined when the store failed (unknown, not a mismatch).
 */
export async function deepCheckSha256(objects: ObjectStore, key: string): Promise<string | null | undefined> {
  try {
    const head = await objects.head(key);
    if (!head) return null;
    return await objectSha256(objects, head);
  } catch (error) {
    if (isNotFound(error)) return null;
    if (isStoreUnavailable(error)) return undefined;
    throw error;
  }
}
