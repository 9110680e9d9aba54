/**
 * The deployment's data model: where storesync finds each of its fields in MongoDB, S3
 * and Qdrant. storesync's own layout is the default; a config file (STORESYNC_CONFIG)
 * describes another one, and the environment variables that name a collection, bucket
 * or field map override the file.
 */

/** storesync's metadata fields; each maps to a dotted path in the document, or null (not stored). */
export const METADATA_FIELDS = [
  'file_id',
  'user_id',
  'file_key',
  'file_name',
  'file_size',
  'content_type',
  'sha256',
  'created_at',
  'updated_at',
  'deleted_at',
  'embedding_chunks',
  'embedding_model',
  'embedding_content_hash',
] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** Fields no file can be told apart without. */
export const REQUIRED_METADATA_FIELDS: MetadataField[] = ['file_id', 'user_id', 'file_key'];

/** storesync's point payload fields; each maps to a dotted payload path, or null (not stored). */
export const PAYLOAD_FIELDS = ['file_id', 'user_id', 'chunk_index', 'chunk_count', 'content_hash', 'model', 'text'] as const;
export type PayloadField = (typeof PAYLOAD_FIELDS)[number];

/**
 * How an active file is told from a deleted one:
 * - `flag`: `field` is false for a deleted file (absent: active), e.g. is_active;
 * - `equals`: active when `field` equals `value` (status: ready); a soft delete writes `inactive_value`;
 * - `missing`: active while `field` is absent or null (deleted_at); a soft delete writes the time.
 */
export type ActiveRule =
  | { kind: 'flag'; field: string }
  | { kind: 'equals'; field: string; value: string | number | boolean; inactiveValue: string | number | boolean }
  | { kind: 'missing'; field: string };

/** How points lay out what is not a mapped field: `llamaindex` also writes the node fields its reader needs. */
export type PayloadLayout = 'plain' | 'llamaindex';

export interface DataModel {
  /** Where the model came from: a file path, or "defaults". */
  source: string;
  metadata: {
    collection: string;
    fields: Record<MetadataField, string | null>;
    active: ActiveRule;
  };
  objects: {
    bucket: string;
    /** Source of a regex with a named group `user_id`. */
    userFromKey: string;
    /** Prefixes that hold no files (thumbnails/, exports/): never scanned, never orphans. */
    ignorePrefixes: string[];
  };
  vectors: {
    collection: string;
    /** The named vector to use; null for a collection with one unnamed vector. */
    vectorName: string | null;
    payload: Record<PayloadField, string | null>;
    layout: PayloadLayout;
  };
  rules: {
    notEmbeddedContentTypes: string[];
  };
}

export const DEFAULT_NOT_EMBEDDED_CONTENT_TYPES = ['image/*', 'audio/*', 'video/*', 'application/zip', 'application/octet-stream'];

/** storesync's own layout (DESIGN.md "Data model"), used by its pipeline and the demo. */
export function defaultDataModel(): DataModel {
  return {
    source: 'defaults',
    metadata: {
      collection: 'files',
      fields: {
        file_id: 'file_id',
        user_id: 'user_id',
        file_key: 'file_key',
        file_name: 'file_name',
        file_size: 'file_size',
        content_type: 'content_type',
        sha256: 'sha256',
        created_at: 'created_at',
        updated_at: 'updated_at',
        deleted_at: 'deleted_at',
        embedding_chunks: 'embedding.chunks',
        embedding_model: 'embedding.model',
        embedding_content_hash: 'embedding.content_hash',
      },
      active: { kind: 'flag', field: 'is_active' },
    },
    objects: { bucket: 'files', userFromKey: '^(?<user_id>[^/]+)/', ignorePrefixes: [] },
    vectors: {
      collection: 'files',
      vectorName: null,
      payload: {
        file_id: 'file_id',
        user_id: 'user_id',
        chunk_index: 'chunk_index',
        chunk_count: 'chunk_count',
        content_hash: 'content_hash',
        model: 'model',
        text: 'text',
      },
      layout: 'plain',
    },
    rules: { notEmbeddedContentTypes: [...DEFAULT_NOT_EMBEDDED_CONTENT_TYPES] },
  };
}

/** The metadata fields the model does not store: their checks are never made. */
export function unmappedMetadataFields(model: DataModel): MetadataField[] {
  return METADATA_FIELDS.filter((field) => model.metadata.fields[field] === null);
}

export function unmappedPayloadFields(model: DataModel): PayloadField[] {
  return PAYLOAD_FIELDS.filter((field) => model.vectors.payload[field] === null);
}

/**
 * The model as the config file spells it (snake_case keys), for the doctor's proposal
 * and the dashboard's read-only view.
 */
export function dataModelToFile(model: DataModel): Record<string, unknown> {
  const active = model.metadata.active;
  return {
    metadata: {
      collection: model.metadata.collection,
      fields: { ...model.metadata.fields },
      active:
        active.kind === 'flag'
          ? { field: active.field }
          : active.kind === 'equals'
            ? { field: active.field, equals: active.value, inactive_value: active.inactiveValue }
            : { field: active.field, missing: true },
    },
    objects: {
      bucket: model.objects.bucket,
      user_from_key: model.objects.userFromKey,
      ignore_prefixes: [...model.objects.ignorePrefixes],
    },
    vectors: {
      collection: model.vectors.collection,
      vector_name: model.vectors.vectorName,
      layout: model.vectors.layout,
      payload: { ...model.vectors.payload },
    },
    rules: { not_embedded_content_types: [...model.rules.notEmbeddedContentTypes] },
  };
}
