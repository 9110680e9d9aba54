import type { FileVectorSummary, PointRef } from '../vector-point';

/**
 * Folds scrolled points into one summary per file. This map is the only state a full
 * scan keeps that grows with the number of files.
 */
export class VectorSummaryMap {
  private readonly byFile = new Map<string, FileVectorSummary>();

  add(points: Iterable<PointRef>): void {
    for (const point of points) {
      let summary = this.byFile.get(point.fileId);
      if (!summary) {
        summary = { fileId: point.fileId, userId: point.userId, points: 0, contentHashes: [], chunkCounts: [], models: [] };
        this.byFile.set(point.fileId, summary);
      }
      summary.points += 1;
      pushDistinct(summary.contentHashes, point.contentHash);
      pushDistinct(summary.chunkCounts, point.chunkCount);
      if (point.model) pushDistinct(summary.models, point.model);
    }
  }

  /** Returns and forgets the file's summary: what is left at the end has no metadata. */
  take(fileId: string): FileVectorSummary | undefined {
    const summary = this.byFile.get(fileId);
    if (summary) this.byFile.delete(fileId);
    return summary;
  }

  remaining(): IterableIterator<FileVectorSummary> {
    return this.byFile.values();
  }

  get size(): number {
    return this.byFile.size;
  }

  get pointCount(): number {
    let total = 0;
    for (const summary of this.byFile.values()) total += summary.points;
    return total;
  }
}

function pushDistinct<T>(values: T[], value: T): void {
  // Files have one hash/count/model when healthy; the arrays stay tiny.
  if (!values.includes(value)) values.push(value);
}
