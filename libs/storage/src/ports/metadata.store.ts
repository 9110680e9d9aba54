import type { FileRecord, FileRecordPatch, UserFileCount } from '@storesync/core';

export interface StreamFilesOptions {
  userId?: string;
  /** Page size of each round trip to the store. */
  batchSize?: number;
  /** Start after this file_key (keyset paging). */
  afterKey?: string;
}

/**
 * The files' metadata (MongoDB `files` or the embedded database). Used as the DI token.
 * Every method throws StoreUnavailableError when the store cannot answer; "absent" is
 * null/false, never an error.
 */
export abstract class MetadataStore {
  abstract readonly kind: 'mongodb' | 'local';

  /** Creates indexes (file_id unique, file_key, user_id+file_key). Idempotent. */
  abstract init(): Promise<void>;

  /**
   * Every record (active or not), sorted by fileKey in UTF-8 byte order, a page per
   * round trip (no empty pages). A scan works page by page: an await per record costs
   * more than the record.
   */
  abstract streamFilePages(options?: StreamFilesOptions): AsyncIterable<FileRecord[]>;

  /** streamFilePages, a record at a time. */
  async *streamFiles(options?: StreamFilesOptions): AsyncIterable<FileRecord> {
    for await (const page of this.streamFilePages(options)) yield* page;
  }

  abstract getByFileId(fileId: string): Promise<FileRecord | null>;

  abstract getByKey(fileKey: string): Promise<FileRecord | null>;

  /** Inserts or replaces the record with this fileId. */
  abstract upsert(record: FileRecord): Promise<void>;

  /** Sets only the given fields; false when no such file. */
  abstract update(fileId: string, patch: FileRecordPatch): Promise<boolean>;

  /** Soft delete: isActive=false. False when no such file. */
  abstract markInactive(fileId: string, at?: Date): Promise<boolean>;

  abstract updateSize(fileId: string, fileSize: number): Promise<boolean>;

  /**
   * Number of records, optionally one user's. `estimate` allows the store's cheap
   * collection statistics for an unscoped count (progress bars), not an exact scan.
   */
  abstract count(options?: { userId?: string; estimate?: boolean }): Promise<number>;

  /** Totals per user, ordered by userId. */
  abstract countsByUser(): Promise<UserFileCount[]>;

  /** Throws StoreUnavailableError when the store does not answer. */
  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}
