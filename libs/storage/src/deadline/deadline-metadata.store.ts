import type { FileRecord, FileRecordPatch, UserFileCount } from '@storesync/core';
import { BulkUpdateResult, ChangedSinceCursor, MetadataChange, MetadataStore, StreamFilesOptions } from '../ports/metadata.store';
import { DeadlineRunner } from './deadline-runner';
import type { StoreLatch } from './store-latch';

// Ids per query of the adapters' bulk lookups.
const ID_LIST = 500;
// Updates per bulk write of the adapters.
const UPDATE_LIST = 50;

export interface MetadataDeadlineOptions {
  timeoutMs: number;
  /**
   * How long a query may take in all while the server keeps answering pings: a server
   * without the file_key index (FerretDB v1) sorts the whole collection before a scan's
   * first record. Unset: every call has the plain deadline.
   */
  slowQueryCeilingMs?: number;
  /** What the wrappers of one server know about it (the state store's, on the same MongoDB). */
  latch?: StoreLatch;
}

/**
 * The MetadataStore every caller gets: each call has a deadline of STORE_TIMEOUT_MS, the
 * driver's server selection and retry included; a scan has one per page. A slow query on
 * a live server may take up to the ceiling, as long as the server answers a ping each
 * deadline; a hung server does not, so nothing waits on it for more than two deadlines.
 */
export class DeadlineMetadataStore extends MetadataStore {
  readonly kind: MetadataStore['kind'];
  private readonly runner: DeadlineRunner;

  constructor(
    private readonly inner: MetadataStore,
    options: MetadataDeadlineOptions,
  ) {
    super();
    this.kind = inner.kind;
    const ping = () => inner.ping();
    const guard = options.slowQueryCeilingMs ? { ceilingMs: options.slowQueryCeilingMs, alive: ping } : undefined;
    this.runner = new DeadlineRunner('mongodb', options.timeoutMs, ping, guard, options.latch);
  }

  private call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return this.runner.call(operation, work);
  }

  init(): Promise<void> {
    return this.call('create indexes', () => this.inner.init());
  }

  streamFilePages(options?: StreamFilesOptions): AsyncIterable<FileRecord[]> {
    return this.runner.pages('read file records', () => this.inner.streamFilePages(options));
  }

  getByFileId(fileId: string): Promise<FileRecord | null> {
    return this.call('find file', () => this.inner.getByFileId(fileId));
  }

  getByKey(fileKey: string): Promise<FileRecord | null> {
    return this.call('find file by key', () => this.inner.getByKey(fileKey));
  }

  // The adapter asks in bounded id lists: a deadline per list.
  override getByFileIds(fileIds: string[]): Promise<Map<string, FileRecord>> {
    return this.runner.call('find files', () => this.inner.getByFileIds(fileIds), this.runner.timeoutMs * Math.max(1, Math.ceil(fileIds.length / ID_LIST)));
  }

  upsert(record: FileRecord): Promise<void> {
    return this.call('write file', () => this.inner.upsert(record));
  }

  update(fileId: string, patch: FileRecordPatch): Promise<boolean> {
    return this.call('update file', () => this.inner.update(fileId, patch));
  }

  // The adapter writes in bounded batches: a deadline per batch.
  override updateMany(updates: { fileId: string; patch: FileRecordPatch }[]): Promise<BulkUpdateResult> {
    return this.runner.call('update files', () => this.inner.updateMany(updates), this.runner.timeoutMs * Math.max(1, Math.ceil(updates.length / UPDATE_LIST)));
  }

  markInactive(fileId: string, at?: Date): Promise<boolean> {
    return this.call('mark file deleted', () => this.inner.markInactive(fileId, at));
  }

  updateSize(fileId: string, fileSize: number): Promise<boolean> {
    return this.call('update file size', () => this.inner.updateSize(fileId, fileSize));
  }

  count(options?: { userId?: string; estimate?: boolean }): Promise<number> {
    return this.call('count files', () => this.inner.count(options));
  }

  countsByUser(page?: { afterUserId?: string; limit?: number }): Promise<UserFileCount[]> {
    return this.call('count files per user', () => this.inner.countsByUser(page));
  }

  changedSince(since: Date, limit: number, cursor?: ChangedSinceCursor): Promise<FileRecord[]> {
    return this.call('find changed files', () => this.inner.changedSince(since, limit, cursor));
  }

  // A change stream waits for changes as long as there are none: that wait is no store call,
  // so it has no deadline (its consumer sees the stream fail when the server does).
  watchChanges(options?: { resumeAfter?: unknown; signal?: AbortSignal }): AsyncIterable<MetadataChange> {
    return this.inner.watchChanges(options);
  }

  sampleDocuments(limit: number): Promise<Record<string, unknown>[]> {
    return this.call('sample documents', () => this.inner.sampleDocuments(limit));
  }

  // The liveness probe itself: the plain deadline, no guard.
  ping(): Promise<void> {
    return this.runner.probe();
  }

  close(): Promise<void> {
    return this.runner.close(() => this.inner.close());
  }
}
