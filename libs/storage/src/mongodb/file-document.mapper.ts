import type { EmbeddingInfo, FileRecord, FileRecordPatch } from '@storesync/core';
import type { FileFields } from './file-fields';

type Doc = Record<string, unknown>;

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

function toEmbedding(value: unknown): EmbeddingInfo | null {
  if (!value || typeof value !== 'object') return null;
  const e = value as Doc;
  return {
    chunks: Number(e.chunks ?? 0),
    model: String(e.model ?? ''),
    contentHash: String(e.content_hash ?? ''),
  };
}

/** Stored document → domain record. Tolerates what other writers store (string sizes, ISO dates). */
export function fromDocument(doc: Doc, f: FileFields): FileRecord {
  const createdAt = toDate(doc[f.createdAt]) ?? new Date(0);
  return {
    fileId: String(doc[f.fileId]),
    userId: String(doc[f.userId] ?? ''),
    fileKey: String(doc[f.fileKey] ?? ''),
    fileName: String(doc[f.fileName] ?? ''),
    fileSize: Number(doc[f.fileSize] ?? 0),
    contentType: String(doc[f.contentType] ?? 'application/octet-stream'),
    sha256: (doc[f.sha256] as string | undefined) ?? null,
    // A record without the flag predates soft deletes: it is active.
    isActive: doc[f.isActive] !== false,
    embedding: toEmbedding(doc[f.embedding]),
    createdAt,
    updatedAt: toDate(doc[f.updatedAt]) ?? createdAt,
    deletedAt: toDate(doc[f.deletedAt]),
  };
}

function embeddingDoc(e: EmbeddingInfo | null | undefined): Doc | null {
  return e ? { chunks: e.chunks, model: e.model, content_hash: e.contentHash } : null;
}

export function toDocument(record: FileRecord, f: FileFields): Doc {
  return {
    [f.fileId]: record.fileId,
    [f.userId]: record.userId,
    [f.fileKey]: record.fileKey,
    [f.fileName]: record.fileName,
    [f.fileSize]: record.fileSize,
    [f.contentType]: record.contentType,
    [f.sha256]: record.sha256 ?? null,
    [f.isActive]: record.isActive,
    [f.embedding]: embeddingDoc(record.embedding),
    [f.createdAt]: record.createdAt,
    [f.updatedAt]: record.updatedAt,
    [f.deletedAt]: record.deletedAt ?? null,
  };
}

export function patchDocument(patch: FileRecordPatch, f: FileFields): Doc {
  const doc: Doc = {};
  const set = (field: string, value: unknown) => {
    if (value !== undefined) doc[field] = value;
  };
  set(f.fileName, patch.fileName);
  set(f.fileSize, patch.fileSize);
  set(f.contentType, patch.contentType);
  set(f.sha256, patch.sha256);
  set(f.isActive, patch.isActive);
  if (patch.embedding !== undefined) doc[f.embedding] = embeddingDoc(patch.embedding);
  set(f.deletedAt, patch.deletedAt);
  doc[f.updatedAt] = patch.updatedAt ?? new Date();
  return doc;
}
