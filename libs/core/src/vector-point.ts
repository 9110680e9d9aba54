import { pointId } from './point-id';

/** The payload every point carries; ids are derived from fileId and chunkIndex. */
export interface PointPayload {
  fileId: string;
  userId: string;
  chunkIndex: number;
  chunkCount: number;
  contentHash: string;
  model?: string;
  text?: string;
}

export interface VectorPoint extends PointPayload {
  id: string;
  vector: number[];
}

/** A point without its vector or text: what scans need. */
export interface PointRef {
  id: string;
  fileId: string;
  userId: string;
  chunkIndex: number;
  chunkCount: number;
  contentHash: string;
  model?: string;
}

export interface SearchHit {
  id: string;
  score: number;
  payload: PointPayload;
}

/** Points of one file reduced to what the classification compares. */
export interface FileVectorSummary {
  fileId: string;
  userId: string;
  points: number;
  contentHashes: string[];
  chunkCounts: number[];
  models: string[];
}

/** The points of one file's chunks: deterministic ids, the payload every point carries. */
export function chunkPoints(
  file: { fileId: string; userId: string; contentHash: string; model?: string },
  chunks: string[],
  vectors: number[][],
): VectorPoint[] {
  return chunks.map((text, chunkIndex) => ({
    id: pointId(file.fileId, chunkIndex),
    fileId: file.fileId,
    userId: file.userId,
    chunkIndex,
    chunkCount: chunks.length,
    contentHash: file.contentHash,
    model: file.model,
    text,
    vector: vectors[chunkIndex],
  }));
}
