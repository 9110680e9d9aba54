import type { PointRef, SearchHit, VectorPoint } from '@storesync/core';
import { PointQuarantineNote, QuarantinedPoint, RawPoint, ScrollPointsOptions, VectorCollectionInfo, VectorStore } from '../ports/vector.store';
import { DeadlineRunner } from './deadline-runner';

// The adapters write and delete in batches of this many points, one request each.
const POINTS_PER_REQUEST = 128;
// ...and read or delete the points of this many files per request.
const FILES_PER_REQUEST = 256;

/**
 * The VectorStore every caller gets: a deadline of STORE_TIMEOUT_MS per request (the
 * scroll of a scan per page), so a hung Qdrant is an unavailable store within the
 * deadline, never a scan that waits (DESIGN.md safety rule 9).
 */
export class DeadlineVectorStore extends VectorStore {
  readonly kind: VectorStore['kind'];
  private readonly runner: DeadlineRunner;

  constructor(
    private readonly inner: VectorStore,
    private readonly timeoutMs: number,
  ) {
    super();
    this.kind = inner.kind;
    this.runner = new DeadlineRunner('qdrant', timeoutMs, () => inner.ping());
  }

  private call<T>(operation: string, work: () => Promise<T>, requests = 1): Promise<T> {
    return this.runner.call(operation, work, this.timeoutMs * Math.max(1, requests));
  }

  // Exists?, create, read back, then up to two payload indexes.
  init(dimension: number): Promise<void> {
    return this.call('create collection', () => this.inner.init(dimension), 5);
  }

  scrollPointRefs(options?: ScrollPointsOptions): AsyncIterable<PointRef[]> {
    return this.runner.pages('scroll points', () => this.inner.scrollPointRefs(options));
  }

  // One scroll page for all but very long files; each further page adds a request.
  getFilePoints(fileId: string): Promise<PointRef[]> {
    return this.call('read file points', () => this.inner.getFilePoints(fileId), 2);
  }

  upsert(points: VectorPoint[]): Promise<void> {
    return this.call('upsert points', () => this.inner.upsert(points), Math.ceil(points.length / POINTS_PER_REQUEST));
  }

  deleteByFileId(fileId: string): Promise<void> {
    return this.call('delete file points', () => this.inner.deleteByFileId(fileId));
  }

  deletePoints(ids: string[]): Promise<void> {
    return this.call('delete points', () => this.inner.deletePoints(ids), Math.ceil(ids.length / POINTS_PER_REQUEST));
  }

  override getPointsOfFiles(fileIds: string[]): Promise<Map<string, PointRef[]>> {
    return this.call('read points of files', () => this.inner.getPointsOfFiles(fileIds), 2 * Math.ceil(fileIds.length / FILES_PER_REQUEST));
  }

  override deleteByFileIds(fileIds: string[]): Promise<void> {
    return this.call('delete points of files', () => this.inner.deleteByFileIds(fileIds), Math.ceil(fileIds.length / FILES_PER_REQUEST));
  }

  getPoints(ids: string[]): Promise<PointRef[]> {
    return this.call('retrieve points', () => this.inner.getPoints(ids), Math.ceil(ids.length / POINTS_PER_REQUEST));
  }

  scrollUnmappedPoints(options?: { userId?: string; pageSize?: number }): AsyncIterable<PointRef[]> {
    return this.runner.pages('scroll unmapped points', () => this.inner.scrollUnmappedPoints(options));
  }

  describeCollection(): Promise<VectorCollectionInfo | null> {
    return this.call('describe collection', () => this.inner.describeCollection());
  }

  samplePoints(limit: number): Promise<RawPoint[]> {
    return this.call('sample points', () => this.inner.samplePoints(limit));
  }

  // Per batch: a read (with vectors), the quarantine made on first use, a write.
  keepPoints(ids: string[], note: PointQuarantineNote): Promise<number> {
    return this.call('keep points', () => this.inner.keepPoints(ids, note), 2 + 2 * Math.ceil(ids.length / POINTS_PER_REQUEST));
  }

  listQuarantinedPoints(options?: { fileId?: string; limit?: number; afterId?: string }): Promise<QuarantinedPoint[]> {
    return this.call('list kept points', () => this.inner.listQuarantinedPoints(options), 2);
  }

  restoreQuarantinedPoints(ids: string[]): Promise<number> {
    return this.call('restore points', () => this.inner.restoreQuarantinedPoints(ids), 1 + 3 * Math.ceil(ids.length / POINTS_PER_REQUEST));
  }

  purgeQuarantinedPoints(keptBefore: Date): Promise<number> {
    return this.call('purge kept points', () => this.inner.purgeQuarantinedPoints(keptBefore), 3);
  }

  search(vector: number[], options: { limit: number; userId?: string }): Promise<SearchHit[]> {
    return this.call('search', () => this.inner.search(vector, options));
  }

  count(options?: { userId?: string; fileId?: string }): Promise<number> {
    return this.call('count points', () => this.inner.count(options));
  }

  ping(): Promise<void> {
    return this.runner.probe();
  }

  close(): Promise<void> {
    return this.runner.close(() => this.inner.close());
  }
}
