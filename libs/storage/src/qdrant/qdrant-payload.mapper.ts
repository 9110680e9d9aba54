import type { PointPayload, PointRef, VectorPoint } from '@storesync/core';

/** The payload fields scans read: everything but the chunk text. */
export const POINT_REF_FIELDS = ['file_id', 'user_id', 'chunk_index', 'chunk_count', 'content_hash', 'model'];

export type QdrantPayload = Record<string, unknown>;

export function toQdrantPayload(point: VectorPoint): QdrantPayload {
  const payload: QdrantPayload = {
    file_id: point.fileId,
    user_id: point.userId,
    chunk_index: point.chunkIndex,
    chunk_count: point.chunkCount,
    content_hash: point.contentHash,
  };
  if (point.model !== undefined) payload.model = point.model;
  if (point.text !== undefined) payload.text = point.text;
  return payload;
}

/**
 * Points are also written by the multi-agent backend, so fields may be missing or of the
 * wrong type. They map to values that never equal real metadata ('' hash, -1 index), so
 * such points surface as stale or orphaned instead of failing the whole scan.
 */
export function toPointRef(id: string | number, payload: QdrantPayload | null | undefined): PointRef {
  const p = payload ?? {};
  const ref: PointRef = {
    id: String(id),
    fileId: text(p.file_id),
    userId: text(p.user_id),
    chunkIndex: integer(p.chunk_index, -1),
    chunkCount: integer(p.chunk_count, 0),
    contentHash: text(p.content_hash),
  };
  if (typeof p.model === 'string') ref.model = p.model;
  return ref;
}

export function toPointPayload(payload: QdrantPayload | null | undefined): PointPayload {
  const { id: _id, ...ref } = toPointRef('', payload);
  const result: PointPayload = ref;
  if (typeof payload?.text === 'string') result.text = payload.text;
  return result;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function integer(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}
