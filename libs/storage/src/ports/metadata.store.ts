import { type FileRecord, type FileRecordPatch, isStoreUnavailable, StoreError, type UserFileCount } from '@storesync/core';

export interface StreamFilesOptions {
  userId?: string;
  /** Page size of each round trip to the store. */
  batchSize?: number;
  /** Start after this file_key (keyset paging). */
  afterKey?: string;
}

/** What updateMany did: how many records it found, and the ones the store refused to update (by file id). */
export interface BulkUpdateResult {
  matched: number;
  refused: Map<string, StoreError>;
}

/** Keyset position in `updated_at` order: the last record of the previous page. */
export interface ChangedSinceCursor {
  updatedAt: Date;
  fileId: string;
}

/** One change a metadata change stream reported. */
export interface MetadataChange {
  /** `ready`: the stream is open (first, once); `invalidate`: the collection was dropped or renamed. */
  operation: 'ready' | 'insert' | 'update' | 'replace' | 'delete' | 'invalidate';
  /** Null when the server told only the document's `_id` (a delete without pre-images). */
  fileId: string | null;
  /** The stored document's `_id`, as a string. */
  documentId: string | null;
  /** When the server applied it (cluster time), when known. */
  at: Date | null;
  /** Opaque, JSON-serialisable: resume after this change. */
  resumeToken: unknown;
}

/** The server has no change streams (FerretDB v1, a standalone mongod, the embedded store): poll instead. */
export class ChangeStreamsUnsupportedError extends Error {
  constructor(reason: string) {
    super(`change streams unavailable: ${reason}`);
    this.name = 'ChangeStreamsUnsupportedError';
  }
}

/** The resume token is no longer in the server's history (or was invalidated): re-read the missed window. */
export class ResumeTokenLostError extends Error {
  constructor(reason: string) {
    super(`resume token lost: ${reason}`);
    this.name = 'ResumeTokenLostError';
  }
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

  /**
   * Several records by file id (absent ones left out), in as few round trips as the store
   * allows: a bulk repair re-checks hundreds of files at once. Adapters override the loop.
   */
  async getByFileIds(fileIds: string[]): Promise<Map<string, FileRecord>> {
    const found = new Map<string, FileRecord>();
    for (const fileId of fileIds) {
      const record = await this.getByFileId(fileId);
      if (record) found.set(fileId, record);
    }
    return found;
  }

  /** Inserts or replaces the record with this fileId. */
  abstract upsert(record: FileRecord): Promise<void>;

  /** Sets only the given fields; false when no such file. */
  abstract update(fileId: string, patch: FileRecordPatch): Promise<boolean>;

  /**
   * update() for many records, in as few round trips as the store allows (a bulk re-embed
   * records hundreds of embeddings). A record the store refuses (what it holds does not fit
   * the patch) is refused alone; a store that cannot answer fails the call. Adapters override the loop.
   */
  async updateMany(updates: { fileId: string; patch: FileRecordPatch }[]): Promise<BulkUpdateResult> {
    const result: BulkUpdateResult = { matched: 0, refused: new Map() };
    for (const { fileId, patch } of updates) {
      try {
        if (await this.update(fileId, patch)) result.matched += 1;
      } catch (error) {
        if (!(error instanceof StoreError) || isStoreUnavailable(error)) throw error;
        result.refused.set(fileId, error);
      }
    }
    return result;
  }

  /** Soft delete: isActive=false. False when no such file. */
  abstract markInactive(fileId: string, at?: Date): Promise<boolean>;

  abstract updateSize(fileId: string, fileSize: number): Promise<boolean>;

  /**
   * Number of records, optionally one user's. `estimate` allows the store's cheap
   * collection statistics for an unscoped count (progress bars), not an exact scan.
   */
  abstract count(options?: { userId?: string; estimate?: boolean }): Promise<number>;

  /**
   * Totals per user, ordered by userId; with `afterUserId` / `limit`, one page of users
   * (what a users list asks for), not every user at once.
   */
  abstract countsByUser(page?: { afterUserId?: string; limit?: number }): Promise<UserFileCount[]>;

  /**
   * Records with updated_at at or after `since`, in (updated_at, file_id) order, at most
   * `limit`, after `cursor` when given: how changes are found on a server without change streams.
   */
  abstract changedSince(since: Date, limit: number, cursor?: ChangedSinceCursor): Promise<FileRecord[]>;

  /**
   * The server's change stream on the files collection, resumed after `resumeAfter` when
   * given. Throws (from the first iteration) ChangeStreamsUnsupportedError when the server
   * has none (the embedded store never has), ResumeTokenLostError when the token is too old; ends when `signal` aborts.
   */
  // Abstract, not a default: a wrapping adapter (deadlines, observation) must pass it on, or
  // change streams would silently become polling behind it.
  abstract watchChanges(options?: { resumeAfter?: unknown; signal?: AbortSignal }): AsyncIterable<MetadataChange>;

  /**
   * Up to `limit` documents as stored (the deployment's own field names and types; an
   * ObjectId as its hex string): what the doctor infers a data model from.
   */
  abstract sampleDocuments(limit: number): Promise<Record<string, unknown>[]>;

  /** Throws StoreUnavailableError when the store does not answer. */
  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}
