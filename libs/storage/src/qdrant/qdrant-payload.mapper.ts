import { defaultDataModel, type DataModel, type PayloadField } from '@storesync/config';
import type { PointPayload, PointRef, VectorPoint } from '@storesync/core';
import { getPath, setPath } from '../field-path';

export type QdrantPayload = Record<string, unknown>;

/** Where the deployment's points keep storesync's payload fields. */
export type VectorMapping = DataModel['vectors'];

/**
 * Translates between points and the deployment's payload layout: storesync's flat
 * fields, LangChain's `content` + `metadata.*`, LlamaIndex's top-level metadata with its
 * node JSON. Points are also written by other writers, so fields may be missing or of
 * the wrong type: they read as values that mean "not stored" ('' hash, -1 index, 0
 * chunk count), which classification does not compare.
 */
export class QdrantPayloadMapper {
  readonly mapping: VectorMapping;
  /** Top-level payload keys a scan asks for: everything mapped but the chunk text. */
  readonly refSelector: string[];

  constructor(mapping?: VectorMapping) {
    this.mapping = mapping ?? defaultDataModel().vectors;
    const paths = REF_FIELDS.map((field) => this.mapping.payload[field]).filter((p): p is string => p !== null);
    // Whole top-level keys: a nested selector ("metadata.file_id") is not read the same way by every server.
    this.refSelector = [...new Set(paths.map((p) => p.split('.')[0]))];
  }

  /** The payload path of a field, null when the deployment does not store it. */
  path(field: PayloadField): string | null {
    return this.mapping.payload[field];
  }

  toPayload(point: VectorPoint): QdrantPayload {
    const payload: QdrantPayload = {};
    const put = (field: PayloadField, value: unknown) => {
      const at = this.mapping.payload[field];
      if (at !== null && value !== undefined) setPath(payload, at, value);
    };
    put('file_id', point.fileId);
    put('user_id', point.userId);
    put('chunk_index', point.chunkIndex);
    put('chunk_count', point.chunkCount);
    put('content_hash', point.contentHash);
    put('model', point.model);
    if (this.mapping.layout === 'llamaindex') Object.assign(payload, llamaIndexNode(point));
    else put('text', point.text);
    return payload;
  }

  toPointRef(id: string | number, payload: QdrantPayload | null | undefined): PointRef {
    const p = payload ?? {};
    const ref: PointRef = {
      id: String(id),
      fileId: this.fileIdOf(p),
      userId: idText(this.read(p, 'user_id')),
      chunkIndex: integer(this.read(p, 'chunk_index'), -1),
      chunkCount: integer(this.read(p, 'chunk_count'), 0),
      contentHash: text(this.read(p, 'content_hash')).toLowerCase(),
    };
    const model = this.read(p, 'model');
    if (typeof model === 'string' && model !== '') ref.model = model;
    return ref;
  }

  /**
   * The point's file id, '' when it names none. LlamaIndex writes the string "None" for
   * a node without a source document: that is no file id either.
   */
  private fileIdOf(payload: QdrantPayload): string {
    const id = idText(this.read(payload, 'file_id'));
    return this.mapping.layout === 'llamaindex' && id === LLAMAINDEX_NO_DOCUMENT ? '' : id;
  }

  /** The payload values that mean "no file id" besides an absent or empty field. */
  get noFileIdValues(): string[] {
    return this.mapping.layout === 'llamaindex' ? [LLAMAINDEX_NO_DOCUMENT] : [];
  }

  toPointPayload(payload: QdrantPayload | null | undefined): PointPayload {
    const { id: _id, ...ref } = this.toPointRef('', payload);
    const result: PointPayload = ref;
    const chunkText = this.readText(payload ?? {});
    if (chunkText !== undefined) result.text = chunkText;
    return result;
  }

  private readText(payload: QdrantPayload): string | undefined {
    if (this.mapping.layout === 'llamaindex' && typeof payload._node_content === 'string') {
      try {
        const node = JSON.parse(payload._node_content) as { text?: unknown };
        if (typeof node.text === 'string') return node.text;
      } catch {
        // Not the node JSON LlamaIndex writes: fall back to the mapped text path.
      }
    }
    const value = this.read(payload, 'text');
    return typeof value === 'string' ? value : undefined;
  }

  private read(payload: QdrantPayload, field: PayloadField): unknown {
    const at = this.mapping.payload[field];
    return at === null ? undefined : getPath(payload, at);
  }
}

/** What LlamaIndex's nodeToMetadata stores as doc_id / ref_doc_id for a node without a source. */
const LLAMAINDEX_NO_DOCUMENT = 'None';

const REF_FIELDS: PayloadField[] = ['file_id', 'user_id', 'chunk_index', 'chunk_count', 'content_hash', 'model'];

/**
 * The fields LlamaIndex's reader (metadataDictToNode) rebuilds a TextNode from: the
 * node's JSON without its metadata, its type, and the source document's id.
 */
function llamaIndexNode(point: VectorPoint): QdrantPayload {
  const node = {
    id_: point.id,
    embedding: null,
    excludedEmbedMetadataKeys: [],
    excludedLlmMetadataKeys: [],
    relationships: { SOURCE: { nodeId: point.fileId, metadata: {} } },
    text: point.text ?? '',
    textTemplate: '',
    metadataSeparator: '\n',
    type: 'TEXT',
  };
  return {
    _node_content: JSON.stringify(node),
    _node_type: 'TextNode',
    document_id: point.fileId,
    doc_id: point.fileId,
    ref_doc_id: point.fileId,
  };
}

/** A file or user id as text: a number another writer stored compares as its digits. */
function idText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function integer(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return fallback;
}

/** A point id as Qdrant takes it back: integer ids were read as their digits. */
export function qdrantPointId(id: string): string | number {
  return /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}
