import type { DataModel, MetadataField } from '@storesync/config';
import { scalarText, type EmbeddingInfo, type FileRecord, type FileRecordPatch } from '@storesync/core';
import { getPath, setPath } from '../field-path';

type Doc = Record<string, unknown>;

/** Where the deployment keeps each field of a file document, and how it marks a deleted one. */
export type MetadataMapping = DataModel['metadata'];

/** A value another writer may have stored as a Date, an ISO string or epoch milliseconds (number or digits). */
export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return finiteDate(value);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^-?\d{1,16}$/.test(trimmed)) return finiteDate(Number(trimmed));
    return trimmed === '' ? null : finiteDate(Date.parse(trimmed));
  }
  return null;
}

function finiteDate(ms: number): Date | null {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A number, or a numeric string ("1024"); anything else is unknown. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  if (typeof value === 'bigint') return Number(value);
  // A driver Long / Decimal128 / Int32 wrapper.
  if (value && typeof value === 'object' && 'toString' in value && /^(Long|Int32|Double|Decimal128)$/.test((value as { _bsontype?: string })._bsontype ?? '')) {
    return toNumber((value as { toString(): string }).toString());
  }
  return null;
}

/** Ids compare as text: an ObjectId is its 24-digit hex string. */
export function idText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'ObjectId') {
    return (value as { toHexString(): string }).toHexString();
  }
  return typeof value === 'object' ? (value as { toString(): string }).toString() : scalarText(value);
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : idText(value);
}

export function isActiveDocument(doc: Doc, m: MetadataMapping): boolean {
  const value = getPath(doc, m.active.field);
  switch (m.active.kind) {
    // A record without the flag predates soft deletes: it is active.
    case 'flag':
      return value !== false;
    case 'equals':
      return value === m.active.value;
    case 'missing':
      return value === undefined || value === null;
  }
}

function field(doc: Doc, m: MetadataMapping, name: MetadataField): unknown {
  const at = m.fields[name];
  return at === null ? undefined : getPath(doc, at);
}

function toEmbedding(doc: Doc, m: MetadataMapping): EmbeddingInfo | null {
  const chunks = toNumber(field(doc, m, 'embedding_chunks'));
  if (chunks === null) return null;
  return {
    chunks,
    model: text(field(doc, m, 'embedding_model')),
    contentHash: text(field(doc, m, 'embedding_content_hash')),
  };
}

/** Stored document → domain record. Tolerates what other writers store (string sizes, ISO dates, ObjectIds). */
export function fromDocument(doc: Doc, m: MetadataMapping): FileRecord {
  const createdAt = toDate(field(doc, m, 'created_at')) ?? new Date(0);
  const sha256 = field(doc, m, 'sha256');
  return {
    fileId: idText(field(doc, m, 'file_id')),
    userId: text(field(doc, m, 'user_id')),
    fileKey: text(field(doc, m, 'file_key')),
    fileName: text(field(doc, m, 'file_name')),
    fileSize: toNumber(field(doc, m, 'file_size')) ?? 0,
    contentType: text(field(doc, m, 'content_type')) || 'application/octet-stream',
    sha256: typeof sha256 === 'string' && sha256 !== '' ? sha256.toLowerCase() : null,
    isActive: isActiveDocument(doc, m),
    embedding: toEmbedding(doc, m),
    createdAt,
    updatedAt: toDate(field(doc, m, 'updated_at')) ?? createdAt,
    deletedAt: toDate(field(doc, m, 'deleted_at')),
  };
}

/** The value the active rule stores for this state; undefined: the field is removed. */
function activeValue(m: MetadataMapping, isActive: boolean, at: Date): unknown {
  switch (m.active.kind) {
    case 'flag':
      return isActive;
    case 'equals':
      return isActive ? m.active.value : m.active.inactiveValue;
    case 'missing':
      return isActive ? undefined : at;
  }
}

function embeddingFields(e: EmbeddingInfo | null | undefined): Partial<Record<MetadataField, unknown>> {
  return { embedding_chunks: e ? e.chunks : null, embedding_model: e ? e.model : null, embedding_content_hash: e ? e.contentHash : null };
}

export function toDocument(record: FileRecord, m: MetadataMapping): Doc {
  const doc: Doc = {};
  const values: Partial<Record<MetadataField, unknown>> = {
    file_id: record.fileId,
    user_id: record.userId,
    file_key: record.fileKey,
    file_name: record.fileName,
    file_size: record.fileSize,
    content_type: record.contentType,
    sha256: record.sha256 ?? null,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    deleted_at: record.deletedAt ?? null,
    ...embeddingFields(record.embedding),
  };
  for (const [name, value] of Object.entries(values) as [MetadataField, unknown][]) {
    const at = m.fields[name];
    if (at !== null) setPath(doc, at, value);
  }
  const active = activeValue(m, record.isActive, record.deletedAt ?? record.updatedAt);
  if (active !== undefined) setPath(doc, m.active.field, active);
  return doc;
}

/** A patch as `$set` (dotted paths, so nested fields change alone) and `$unset`. */
export function patchDocument(patch: FileRecordPatch, m: MetadataMapping): { $set: Doc; $unset?: Record<string, ''> } {
  const set: Doc = {};
  const unset: Record<string, ''> = {};
  const put = (name: MetadataField, value: unknown) => {
    const at = m.fields[name];
    if (value !== undefined && at !== null) set[at] = value;
  };
  put('file_name', patch.fileName);
  put('file_size', patch.fileSize);
  put('content_type', patch.contentType);
  put('sha256', patch.sha256);
  if (patch.embedding !== undefined) {
    for (const [name, value] of Object.entries(embeddingFields(patch.embedding)) as [MetadataField, unknown][]) put(name, value);
  }
  put('deleted_at', patch.deletedAt);
  const updatedAt = patch.updatedAt ?? new Date();
  put('updated_at', updatedAt);
  if (patch.isActive !== undefined) {
    const active = activeValue(m, patch.isActive, patch.deletedAt ?? updatedAt);
    if (active === undefined) unset[m.active.field] = '';
    else set[m.active.field] = active;
  }
  return Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set };
}

/** Every path a record is read from, without a path inside another (a projection may not hold both). */
export function mappedPaths(m: MetadataMapping): string[] {
  const all = [...new Set([...Object.values(m.fields).filter((p): p is string => p !== null), m.active.field])].sort();
  return all.filter((p) => !all.some((other) => other !== p && p.startsWith(`${other}.`)));
}
