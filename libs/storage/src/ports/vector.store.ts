import type { PointRef, SearchHit, VectorPoint } from '@storesync/core';

export interface VectorCollectionInfo {
  vectors: Array<{ name: string | null; size: number; distance: string }>;
  points: number;
}

export interface RawPoint {
  id: string;
  payload: Record<string, unknown>;
}

export interface ScrollPointsOptions {
  userId?: string;
  /** Points per scroll page. */
  pageSize?: number;
}

/**
 * The files' embedding points (a Qdrant collection or the embedded database). Used as
 * the DI token. storesync writes point ids as UUIDv5 of "<fileId>:<chunkIndex>" (see
 * pointId()); points another writer made may have any id (random UUIDs, integers, read
 * as their digits), and their payload follows the configured data model.
 */
/** Why and when points were taken out of the collection (kept with them in the quarantine). */
export interface PointQuarantineNote {
  reason: string;
  at: Date;
}

/** A point kept in the quarantine: its file and user as its payload names them, and the note. */
export interface QuarantinedPoint {
  id: string;
  fileId: string;
  userId: string;
  quarantinedAt: Date;
  reason: string;
}

export abstract class VectorStore {
  abstract readonly kind: 'qdrant' | 'local';

  /** Creates the collection (cosine, given dimension) and payload indexes. Idempotent. */
  abstract init(dimension: number): Promise<void>;

  /** All points without vectors or text, page by page (one array per round trip). */
  abstract scrollPointRefs(options?: ScrollPointsOptions): AsyncIterable<PointRef[]>;

  /** Points of one file, without vectors, ordered by chunkIndex. */
  abstract getFilePoints(fileId: string): Promise<PointRef[]>;

  /** Upserts and waits until the points are searchable. */
  abstract upsert(points: VectorPoint[]): Promise<void>;

  /** Deletes every point of the file; succeeds when there are none. */
  abstract deleteByFileId(fileId: string): Promise<void>;

  abstract deletePoints(ids: string[]): Promise<void>;

  /** Points of several files (each file's ordered by chunkIndex; files without points map to []). Adapters override the loop. */
  async getPointsOfFiles(fileIds: string[]): Promise<Map<string, PointRef[]>> {
    const found = new Map<string, PointRef[]>();
    for (const fileId of fileIds) found.set(fileId, await this.getFilePoints(fileId));
    return found;
  }

  /** Deletes every point of these files, in as few requests as the store allows. Adapters override the loop. */
  async deleteByFileIds(fileIds: string[]): Promise<void> {
    for (const fileId of fileIds) await this.deleteByFileId(fileId);
  }

  /** The points with these ids that exist, without vectors or text. */
  abstract getPoints(ids: string[]): Promise<PointRef[]>;

  /**
   * Points whose payload has no file id (another writer's, or an unmapped path), page by
   * page; `userId` keeps those naming that user ('' : those naming none either).
   */
  abstract scrollUnmappedPoints(options?: { userId?: string; pageSize?: number }): AsyncIterable<PointRef[]>;

  abstract search(vector: number[], options: { limit: number; userId?: string }): Promise<SearchHit[]>;

  /** Exact count, optionally of one user's or one file's points. */
  abstract count(options?: { userId?: string; fileId?: string }): Promise<number>;

  /** The collection as it is: its vectors (name null: the unnamed one) and point count; null when absent. */
  abstract describeCollection(): Promise<VectorCollectionInfo | null>;

  /** Up to `limit` points with their whole payload as stored (no vectors): what the doctor reads. */
  abstract samplePoints(limit: number): Promise<RawPoint[]>;

  /**
   * Copies the points with these ids, vectors and payload as stored, into the quarantine
   * (Qdrant: the collection `<collection>_quarantine`) with the note; they stay where
   * they are. Returns how many existed. Safety rule 4: what a repair deletes is kept first.
   */
  abstract keepPoints(ids: string[], note: PointQuarantineNote): Promise<number>;

  /** keepPoints, then deletes them: a repair never deletes a point it did not keep first. */
  async quarantinePoints(ids: string[], note: PointQuarantineNote): Promise<number> {
    if (ids.length === 0) return 0;
    const kept = await this.keepPoints(ids, note);
    await this.deletePoints(ids);
    return kept;
  }

  /** Every point of these files, kept then deleted. */
  async quarantineFilePoints(fileIds: string[], note: PointQuarantineNote): Promise<number> {
    if (fileIds.length === 0) return 0;
    const points = await this.getPointsOfFiles(fileIds);
    return this.quarantinePoints(
      [...points.values()].flat().map((p) => p.id),
      note,
    );
  }

  /** Kept points in id order (keyset: after `afterId`), optionally one file's. */
  abstract listQuarantinedPoints(options?: { fileId?: string; limit?: number; afterId?: string }): Promise<QuarantinedPoint[]>;

  /** Puts kept points back as they were stored and removes them from the quarantine; returns how many. */
  abstract restoreQuarantinedPoints(ids: string[]): Promise<number>;

  /** Removes the points kept before this time (the daily purge, after SYNC_QUARANTINE_DAYS). */
  abstract purgeQuarantinedPoints(keptBefore: Date): Promise<number>;

  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}
