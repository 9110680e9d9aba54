import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { ObjectInfo, ObjectVersion, PutObjectOptions } from '@storesync/core';

export interface ListObjectsOptions {
  prefix?: string;
  /** Keys per ListObjectsV2 page. */
  pageSize?: number;
  /** Start after this key (UTF-8 order). */
  startAfter?: string;
  /**
   * Prefixes the caller does not want (objects.ignore_prefixes): the listing jumps past
   * one as soon as a page ends inside it, so a large thumbnails/ costs a page, not its size.
   * A page may still hold some of their keys.
   */
  skipPrefixes?: readonly string[];
}

/**
 * The files' bytes (an S3 bucket or a folder under DATA_DIR). Used as the DI token.
 * Keys are validated (non-empty, ≤ 1024 UTF-8 bytes, valid UTF-8): InvalidKeyError.
 * A missing object is null from head() and NotFoundError from getStream().
 */
export abstract class ObjectStore {
  abstract readonly kind: 's3' | 'local';

  /** Creates the bucket when absent. Idempotent. */
  abstract init(): Promise<void>;

  /** Every object (quarantined ones too) in UTF-8 byte order of keys, a page per round trip (no empty pages). */
  abstract listObjectPages(options?: ListObjectsOptions): AsyncIterable<ObjectInfo[]>;

  /** listObjectPages, an object at a time. */
  async *listObjects(options?: ListObjectsOptions): AsyncIterable<ObjectInfo> {
    for await (const page of this.listObjectPages(options)) yield* page;
  }

  abstract head(key: string): Promise<ObjectInfo | null>;

  /** The bytes of the current object, or of one version of it (versioned buckets). */
  abstract getStream(key: string, versionId?: string): Promise<Readable>;

  /** Writes the object with its SHA-256 checksum; returns what was stored. */
  abstract put(key: string, body: Buffer, options?: PutObjectOptions): Promise<ObjectInfo>;

  /**
   * put() from a file on disk (a staged upload), its size and SHA-256 measured while it was
   * staged. Adapters stream it; this default reads it whole, for adapters that cannot.
   */
  async putFile(key: string, filePath: string, options: PutObjectOptions & { size: number }): Promise<ObjectInfo> {
    return this.put(key, await fs.promises.readFile(filePath), options);
  }

  abstract copy(sourceKey: string, targetKey: string): Promise<void>;

  /**
   * copy() only if nothing is at `targetKey`, decided by the store in the same write (S3's
   * `If-None-Match: *`): false when the target exists, so a concurrent writer is never
   * overwritten (a check-then-copy could).
   */
  abstract copyIfAbsent(sourceKey: string, targetKey: string): Promise<boolean>;

  /** Deleting an absent key succeeds (idempotent). */
  abstract delete(key: string): Promise<void>;

  /** True when the bucket keeps previous versions. */
  abstract versioningEnabled(): Promise<boolean>;

  /** Versions of exactly this key, newest first. Empty when versioning is off. */
  abstract listVersions(key: string): Promise<ObjectVersion[]>;

  /** Makes the given version the current one again (copies it over the key). */
  abstract restoreVersion(key: string, versionId: string): Promise<void>;

  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}
