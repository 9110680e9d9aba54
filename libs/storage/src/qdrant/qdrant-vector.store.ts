import { QdrantClient } from '@qdrant/js-client-rest';
import { ConflictError, PointRef, SearchHit, StoreUnavailableError, VectorPoint } from '@storesync/core';
import { ScrollPointsOptions, VectorStore } from '../ports';
import { mapQdrantError, qdrantStatus } from './qdrant-error.mapper';
import { POINT_REF_FIELDS, toPointPayload, toPointRef, toQdrantPayload } from './qdrant-payload.mapper';

export interface QdrantVectorStoreOptions {
  url: string;
  apiKey?: string;
  collection: string;
  /** Every request is aborted after this long (StoreUnavailableError). */
  timeoutMs: number;
}

type PointFilter = { must: Array<{ key: string; match: { value: string } }> };

const DEFAULT_PAGE_SIZE = 256;
// Keeps request bodies well under Qdrant's 32 MB JSON limit even for large embeddings.
const WRITE_BATCH_SIZE = 128;
const INDEXED_FIELDS = ['file_id', 'user_id'];

/** The files' embedding points in a Qdrant collection (REST client). */
export class QdrantVectorStore extends VectorStore {
  readonly kind = 'qdrant' as const;
  private client: QdrantClient | null;

  constructor(private readonly options: QdrantVectorStoreOptions) {
    super();
    this.client = new QdrantClient({
      url: options.url,
      apiKey: options.apiKey,
      timeout: options.timeoutMs,
      // The check is a fire-and-forget request that only logs; ping() is our reachability check.
      checkCompatibility: false,
    });
  }

  private get collection(): string {
    return this.options.collection;
  }

  async init(dimension: number): Promise<void> {
    await this.call('create collection', async (client) => {
      const { exists } = await client.collectionExists(this.collection);
      if (exists) return;
      try {
        await client.createCollection(this.collection, { vectors: { size: dimension, distance: 'Cosine' } });
      } catch (error) {
        // Another instance created it between our check and our create.
        if (qdrantStatus(error) !== 409) throw error;
      }
    });
    const info = await this.call('read collection', (client) => client.getCollection(this.collection));
    const vectors = info.config.params.vectors as { size?: number; distance?: string } | undefined;
    if (vectors?.size !== dimension || vectors.distance !== 'Cosine') {
      throw new ConflictError(
        'qdrant',
        `collection ${this.collection} holds ${vectors?.size ?? 'named'}-dimension ${vectors?.distance ?? ''} vectors, expected ${dimension}-dimension Cosine`,
      );
    }
    for (const field of INDEXED_FIELDS) {
      if (info.payload_schema?.[field]) continue;
      await this.call(`create ${field} index`, (client) =>
        client.createPayloadIndex(this.collection, { field_name: field, field_schema: 'keyword', wait: true }),
      );
    }
  }

  async *scrollPointRefs(options: ScrollPointsOptions = {}): AsyncIterable<PointRef[]> {
    const pages = this.scrollPages(byFields({ user_id: options.userId }), options.pageSize ?? DEFAULT_PAGE_SIZE);
    for await (const page of pages) if (page.length > 0) yield page;
  }

  async getFilePoints(fileId: string): Promise<PointRef[]> {
    const points: PointRef[] = [];
    for await (const page of this.scrollPages(fileFilter(fileId), DEFAULT_PAGE_SIZE)) points.push(...page);
    return points.sort((a, b) => a.chunkIndex - b.chunkIndex || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async upsert(points: VectorPoint[]): Promise<void> {
    for (const batch of chunks(points, WRITE_BATCH_SIZE)) {
      await this.call('upsert', (client) =>
        client.upsert(this.collection, {
          wait: true,
          points: batch.map((point) => ({ id: point.id, vector: point.vector, payload: toQdrantPayload(point) })),
        }),
      );
    }
  }

  async deleteByFileId(fileId: string): Promise<void> {
    await this.call('delete file points', (client) =>
      client.delete(this.collection, { wait: true, filter: fileFilter(fileId) }),
    );
  }

  async deletePoints(ids: string[]): Promise<void> {
    for (const batch of chunks(ids, WRITE_BATCH_SIZE)) {
      await this.call('delete points', (client) => client.delete(this.collection, { wait: true, points: batch }));
    }
  }

  async search(vector: number[], options: { limit: number; userId?: string }): Promise<SearchHit[]> {
    const result = await this.call('query', (client) =>
      client.query(this.collection, {
        query: vector,
        limit: options.limit,
        filter: byFields({ user_id: options.userId }),
        with_payload: true,
        with_vector: false,
      }),
    );
    return result.points.map((point) => ({
      id: String(point.id),
      score: point.score,
      payload: toPointPayload(point.payload),
    }));
  }

  async count(options: { userId?: string; fileId?: string } = {}): Promise<number> {
    const filter = byFields({ user_id: options.userId, file_id: options.fileId });
    const result = await this.call('count', (client) => client.count(this.collection, { filter, exact: true }));
    return result.count;
  }

  /** Reachable and the collection exists: a missing collection is a broken store, not an empty one. */
  async ping(): Promise<void> {
    const { exists } = await this.call('ping', (client) => client.collectionExists(this.collection));
    if (!exists) throw new StoreUnavailableError('qdrant', `collection ${this.collection} does not exist`);
  }

  async close(): Promise<void> {
    this.client = null;
  }

  /** Scroll pages in point-id order, following next_page_offset until Qdrant returns none. */
  private async *scrollPages(filter: PointFilter | undefined, limit: number): AsyncIterable<PointRef[]> {
    let offset: string | number | undefined;
    do {
      const page = await this.call('scroll', (client) =>
        client.scroll(this.collection, { filter, limit, offset, with_payload: POINT_REF_FIELDS, with_vector: false }),
      );
      yield page.points.map((point) => toPointRef(point.id, point.payload));
      const next = page.next_page_offset;
      offset = typeof next === 'string' || typeof next === 'number' ? next : undefined;
    } while (offset !== undefined);
  }

  private async call<T>(operation: string, request: (client: QdrantClient) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) throw new StoreUnavailableError('qdrant', `${operation}: the store is closed`);
    try {
      return await request(client);
    } catch (error) {
      throw mapQdrantError(error, `${operation} on ${this.collection}`, this.options.timeoutMs);
    }
  }
}

/** A must-match filter on the given keyword fields; undefined values are left out. */
function byFields(fields: Record<string, string | undefined>): PointFilter | undefined {
  const must = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ({ key, match: { value } }));
  return must.length > 0 ? { must } : undefined;
}

function fileFilter(fileId: string): PointFilter {
  return { must: [{ key: 'file_id', match: { value: fileId } }] };
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
