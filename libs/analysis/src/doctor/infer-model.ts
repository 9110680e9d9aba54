import type { ActiveRule, DataModel, MetadataField, PayloadField, PayloadLayout } from '@storesync/config';
import { choosePath, FieldChoice, FieldStats, mainKind, sampleFields } from './sample-fields';

const TEXT = (k: string) => ['string', 'hex24', 'sha256', 'numeric_string', 'iso_date'].includes(k);
const ID = (k: string) => ['string', 'hex24', 'numeric_string', 'integer'].includes(k);
const SIZE = (k: string) => ['integer', 'number', 'numeric_string'].includes(k);
const DATE = (k: string) => ['date', 'iso_date', 'epoch_ms'].includes(k);
const HASH = (k: string) => k === 'sha256';
const COUNT = (k: string) => ['integer', 'numeric_string'].includes(k);

/** Names a field goes by in the deployments storesync meets, best first. */
const METADATA_SYNONYMS: Record<MetadataField, [string[], (kind: string) => boolean]> = {
  file_id: [['file_id', 'fileId', 'document_id', 'doc_id', 'id', '_id'], ID],
  user_id: [['user_id', 'userId', 'owner_id', 'ownerId', 'owner', 'user', 'uploaded_by', 'created_by', 'tenant_id'], ID],
  file_key: [['file_key', 'fileKey', 's3_key', 'object_key', 'storage_key', 'key', 'storage.key', 'path', 'storage_path', 'blob_key'], TEXT],
  file_name: [['file_name', 'fileName', 'original_name', 'filename', 'name', 'title'], TEXT],
  file_size: [['file_size', 'fileSize', 'size_bytes', 'bytes', 'size', 'content_length', 'length'], SIZE],
  content_type: [['content_type', 'contentType', 'mime_type', 'mimeType', 'mime', 'media_type', 'type'], TEXT],
  sha256: [['sha256', 'checksum', 'content_sha256', 'hash', 'digest'], HASH],
  created_at: [['created_at', 'createdAt', 'uploaded_at', 'uploadedAt', 'inserted_at', 'created'], DATE],
  updated_at: [['updated_at', 'updatedAt', 'modified_at', 'modifiedAt', 'updated', 'modified'], DATE],
  deleted_at: [['deleted_at', 'deletedAt', 'removed_at', 'removedAt'], DATE],
  embedding_chunks: [['embedding.chunks', 'chunks', 'chunk_count', 'chunkCount', 'num_chunks', 'vector_count', 'points'], COUNT],
  embedding_model: [['embedding.model', 'embedding_model', 'embeddingModel', 'model'], TEXT],
  embedding_content_hash: [['embedding.content_hash', 'embedding_hash', 'content_hash', 'contentHash'], HASH],
};

const ACTIVE_VALUES = ['ready', 'active', 'available', 'processed', 'indexed', 'done', 'complete', 'completed', 'uploaded', 'ok'];

export interface InferredField extends FieldChoice {
  field: string;
}

export interface MetadataInference {
  fields: Record<MetadataField, string | null>;
  active: ActiveRule;
  report: InferredField[];
}

/** The metadata mapping a sample of documents suggests. */
export function inferMetadata(docs: Record<string, unknown>[], fallback: DataModel['metadata']): MetadataInference {
  const stats = sampleFields(docs);
  const taken = new Set<string>();
  const fields = { ...fallback.fields };
  const report: InferredField[] = [];
  for (const field of Object.keys(METADATA_SYNONYMS) as MetadataField[]) {
    const [synonyms, accepts] = METADATA_SYNONYMS[field];
    // A path is given to one field only (fields are tried in table order: the id and key first).
    const choice = choosePath(stats, docs.length, synonyms, accepts, taken);
    if (choice.path) taken.add(choice.path);
    fields[field] = choice.path;
    report.push({ field, ...choice });
  }
  // A file id is needed: an id-like _id is the usual fallback.
  if (!fields.file_id && stats.has('_id')) fields.file_id = '_id';
  const active = inferActive(stats, docs.length, fields.deleted_at);
  report.push({
    field: 'active',
    path: active.field,
    kind: active.kind,
    coverage: (stats.get(active.field)?.present ?? 0) / Math.max(docs.length, 1),
    examples: stats.get(active.field)?.examples ?? [],
  });
  return { fields, active, report };
}

function inferActive(stats: Map<string, FieldStats>, total: number, deletedAt: string | null): ActiveRule {
  for (const name of ['is_active', 'isActive', 'active', 'enabled', 'available']) {
    const s = [...stats.values()].find((f) => f.path.split('.').pop() === name && mainKind(f) === 'boolean');
    if (s) return { kind: 'flag', field: s.path };
  }
  for (const name of ['status', 'state', 'lifecycle', 'processing_status']) {
    const s = [...stats.values()].find((f) => f.path.split('.').pop()?.toLowerCase() === name && mainKind(f) === 'string');
    if (!s) continue;
    const values = [...s.values.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
    const active = values.find((v) => ACTIVE_VALUES.includes(v.toLowerCase())) ?? values[0];
    const inactive = values.find((v) => /delet|remov|trash|archiv/i.test(v)) ?? 'deleted';
    if (active !== undefined) return { kind: 'equals', field: s.path, value: active, inactiveValue: inactive === active ? 'deleted' : inactive };
  }
  if (deletedAt && (stats.get(deletedAt)?.present ?? 0) < total) return { kind: 'missing', field: deletedAt };
  return { kind: 'flag', field: 'is_active' };
}

const PAYLOAD_SYNONYMS: Record<Exclude<PayloadField, 'text'>, [string[], (kind: string) => boolean]> = {
  file_id: [['file_id', 'fileId', 'metadata.file_id', 'ref_doc_id', 'doc_id', 'document_id', 'source_id', 'metadata.document_id'], ID],
  user_id: [['user_id', 'userId', 'metadata.user_id', 'owner_id', 'ownerId', 'tenant_id', 'user'], ID],
  chunk_index: [['chunk_index', 'chunkIndex', 'chunk', 'chunk_id', 'seq', 'position', 'loc.lines.from'], COUNT],
  chunk_count: [['chunk_count', 'chunkCount', 'total_chunks', 'chunks', 'num_chunks'], COUNT],
  content_hash: [['content_hash', 'contentHash', 'sha256', 'file_hash', 'checksum'], HASH],
  model: [['model', 'embedding_model', 'embeddingModel'], TEXT],
};

export interface PayloadInference {
  payload: Record<PayloadField, string | null>;
  layout: PayloadLayout;
  /** `langchain`, `llamaindex` or `storesync`/`unknown`: what the payload looks like. */
  writer: string;
  report: InferredField[];
}

/** The payload mapping a sample of points suggests (LangChain, LlamaIndex or flat fields). */
export function inferPayload(payloads: Record<string, unknown>[]): PayloadInference {
  const stats = sampleFields(payloads);
  const has = (path: string) => (stats.get(path)?.present ?? 0) > payloads.length / 2;
  const llamaIndex = has('_node_content');
  const langchain = !llamaIndex && (has('page_content') || has('content')) && has('metadata');
  const taken = new Set<string>(['_node_content', '_node_type']);
  const payload: Record<PayloadField, string | null> = {
    file_id: null,
    user_id: null,
    chunk_index: null,
    chunk_count: null,
    content_hash: null,
    model: null,
    text: null,
  };
  const report: InferredField[] = [];
  for (const field of Object.keys(PAYLOAD_SYNONYMS) as Exclude<PayloadField, 'text'>[]) {
    const [synonyms, accepts] = PAYLOAD_SYNONYMS[field];
    const choice = choosePath(stats, payloads.length, synonyms, accepts, taken);
    if (choice.path) taken.add(choice.path);
    payload[field] = choice.path;
    report.push({ field, ...choice });
  }
  if (!llamaIndex) {
    const text = choosePath(stats, payloads.length, ['text', 'page_content', 'content', 'chunk_text', 'document'], (k) => k === 'string', taken);
    payload.text = text.path;
    report.push({ field: 'text', ...text });
  }
  return {
    payload,
    layout: llamaIndex ? 'llamaindex' : 'plain',
    writer: llamaIndex ? 'llamaindex' : langchain ? 'langchain' : has('file_id') && has('chunk_index') ? 'storesync' : 'unknown',
    report,
  };
}

export interface KeyLayoutInference {
  userFromKey: string;
  ignorePrefixes: string[];
  /** Share of sampled records whose key has the user id where the pattern says (0..1). */
  agreement: number;
}

/**
 * The key layout the metadata's own keys and users suggest: the segment holding the
 * user, and what comes before it when that is the same everywhere; top-level prefixes
 * of the bucket no metadata key lives under are proposed as ignored.
 */
export function inferKeyLayout(records: Array<{ userId: string; fileKey: string }>, topPrefixes: string[], quarantinePrefix: string): KeyLayoutInference {
  const positions = new Map<number, number>();
  const leads = new Map<string, number>();
  for (const { userId, fileKey } of records) {
    const segments = fileKey.split('/');
    const at = segments.indexOf(userId);
    if (!userId || at < 0 || at === segments.length - 1) continue;
    positions.set(at, (positions.get(at) ?? 0) + 1);
    const lead = segments.slice(0, at).join('/');
    leads.set(`${at}:${lead}`, (leads.get(`${at}:${lead}`) ?? 0) + 1);
  }
  const [position, hits] = [...positions.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  const [leadKey, leadHits] = [...leads.entries()].filter(([k]) => k.startsWith(`${position}:`)).sort((a, b) => b[1] - a[1])[0] ?? [`${position}:`, 0];
  const lead = leadKey.slice(String(position).length + 1);
  let userFromKey: string;
  if (position === 0) userFromKey = '^(?<user_id>[^/]+)/';
  else if (leadHits === hits) userFromKey = `^${escapeRegex(lead)}/(?<user_id>[^/]+)/`;
  else userFromKey = `^${'[^/]+/'.repeat(position)}(?<user_id>[^/]+)/`;
  const used = new Set(records.map((r) => r.fileKey.split('/')[0] + '/'));
  // Under a constant lead (tenant-a/…) every other top-level prefix holds no files. With
  // the user first, a prefix the sample did not see may be a user's: only names that
  // say what they hold are proposed.
  const notFiles = (p: string) => (position > 0 && leadHits === hits ? true : NOT_FILES.test(p));
  const ignorePrefixes = topPrefixes.filter((p) => p.endsWith('/') && !used.has(p) && p !== quarantinePrefix && notFiles(p));
  return { userFromKey, ignorePrefixes, agreement: records.length > 0 ? hits / records.length : 0 };
}

const NOT_FILES = /^(thumb|thumbnails?|previews?|exports?|backups?|cache|tmp|temp|logs?|public|static|assets|derived|renditions?)\//i;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '/' ? '/' : `\\${c}`));
}
