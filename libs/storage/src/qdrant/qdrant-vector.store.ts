import { QdrantClient } from '@qdrant/js-client-rest';
import { ConflictError, PointRef, SearchHit, StoreUnavailableError, VectorPoint } from '@storesync/core';
import { PointQuarantineNote, QuarantinedPoint, RawPoint, ScrollPointsOptions, VectorCollectionInfo, VectorStore } from '../ports';
import { QdrantPointQuarantine } from './qdrant-point-quarantine';
import { mapQdrantError, qdrantStatus } from './qdrant-error.mapper';
import { qdrantPointId, QdrantPayloadMapper, VectorMapping } from './qdrant-payload.mapper';

export interface QdrantVectorStoreOptions {
  url: string;
  apiKey?: string;
  collection: string;
  /** Every request is aborted after this long (StoreUnavailableError). */
  timeoutMs: number;
  /** The deployment's payload paths and vector name; storesync's own layout when absent. */
  mapping?: VectorMapping;
}

type Condition = { key: string; match: { value: string | number } | { any: string[] } } | { is_empty: { key: string } } | PointFilter;
type PointFilter = { must?: Condition[]; should?: Condition[] };

const DEFAULT_PAGE_SIZE = 256;
// Keeps request bodies well under Qdrant's 32 MB JSON limit even for large embeddings.
const WRITE_BATCH_SIZE = 128;
/** File ids per `match any` filter of a bulk lookup or delete. */
const FILE_BATCH_SIZE = 256;

/** The files' embedding points in a Qdrant collection (REST client). */
export class QdrantVectorStore extends VectorStore {
  readonly kind = 'qdrant' as const;
  private client: QdrantClient | null;
  private readonly payload: QdrantPayloadMapper;
  private readonly vectorName: string | null;
  private readonly kept: QdrantPointQuarantine;

  constructor(private readonly options: QdrantVectorStoreOptions) {
    super();
    this.payload = new QdrantPayloadMapper(options.mapping);
    this.vectorName = this.payload.mapping.vectorName;
    this.kept = new QdrantPointQuarantine(options.collection, this.payload, (operation, request) => this.call(operation, request));
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

  /**
   * Creates the collection when absent. An existing one (the deployment's) is never
   * recreated or resized: a vector size or name that does not fit is a ConflictError.
   * Payload indexes go on the mapped file and user paths.
   */
  async init(dimension: number): Promise<void> {
    const name = this.vectorName;
    await this.call('create collection', async (client) => {
      const { exists } = await client.collectionExists(this.collection);
      if (exists) return;
      const params = { size: dimension, distance: 'Cosine' as const };
      try {
        await client.createCollection(this.collection, { vectors: name ? { [name]: params } : params });
      } catch (error) {
        // Another instance created it between our check and our create.
        if (qdrantStatus(error) !== 409) throw error;
      }
    });
    const info = await this.call('read collection', (client) => client.getCollection(this.collection));
    const configured = info.config.params.vectors as Record<string, unknown> | undefined;
    const vectors = (name ? configured?.[name] : configured) as { size?: number; distance?: string } | undefined;
    if (vectors?.size !== dimension || vectors.distance !== 'Cosine') {
      const held = name && !vectors ? `no vector named ${name}` : `${vectors?.size ?? 'named'}-dimension ${vectors?.distance ?? ''} vectors`;
      throw new ConflictError('qdrant', `collection ${this.collection} holds ${held}, expected ${name ? `${name}: ` : ''}${dimension}-dimension Cosine`);
    }
    for (const field of [this.payload.path('file_id'), this.payload.path('user_id')]) {
      if (field === null || info.payload_schema?.[field]) continue;
      await this.call(`create ${field} index`, (client) =>
        client.createPayloadIndex(this.collection, { field_name: field, field_schema: 'keyword', wait: true }),
      );
    }
  }

  async *scrollPointRefs(options: ScrollPointsOptions = {}): AsyncIterable<PointRef[]> {
    const pages = this.scrollPages(this.byFields({ user_id: options.userId }), options.pageSize ?? DEFAULT_PAGE_SIZE);
    for await (const page of pages) if (page.length > 0) yield page;
  }

  async getFilePoints(fileId: string): Promise<PointRef[]> {
    const points: PointRef[] = [];
    for await (const page of this.scrollPages(this.fileFilter(fileId), DEFAULT_PAGE_SIZE)) points.push(...page);
    return points.sort((a, b) => a.chunkIndex - b.chunkIndex || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async upsert(points: VectorPoint[]): Promise<void> {
    for (const batch of chunks(points, WRITE_BATCH_SIZE)) {
      await this.call('upsert', (client) =>
        client.upsert(this.collection, {
          wait: true,
          points: batch.map((point) => ({
            id: qdrantPointId(point.id),
            vector: this.vectorName ? { [this.vectorName]: point.vector } : point.vector,
            payload: this.payload.toPayload(point),
          })),
        }),
      );
    }
  }

  async deleteByFileId(fileId: string): Promise<void> {
    await this.call('delete file points', (client) => client.delete(this.collection, { wait: true, filter: this.fileFilter(fileId) }));
  }

  override async getPointsOfFiles(fileIds: string[]): Promise<Map<string, PointRef[]>> {
    const filter = this.filesFilter(fileIds);
    if (!filter) return super.getPointsOfFiles(fileIds);
    const found = new Map<string, PointRef[]>(fileIds.map((id) => [id, []]));
    for (const batch of chunks(fileIds, FILE_BATCH_SIZE)) {
      for await (const page of this.scrollPages(this.filesFilter(batch)!, DEFAULT_PAGE_SIZE)) {
        for (const point of page) found.get(point.fileId)?.push(point);
      }
    }
    for (const points of found.values()) points.sort((a, b) => a.chunkIndex - b.chunkIndex || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return found;
  }

  override async deleteByFileIds(fileIds: string[]): Promise<void> {
    if (!this.filesFilter(fileIds)) return super.deleteByFileIds(fileIds);
    for (const batch of chunks(fileIds, FILE_BATCH_SIZE)) {
      await this.call('delete files points', (client) => client.delete(this.collection, { wait: true, filter: this.filesFilter(batch)! }));
    }
  }

  /**
   * One `match any` over file ids; null when it cannot stand for them exactly (the file id
   * is not in the payload, or an id that looks numeric may be stored as a number).
   */
  private filesFilter(fileIds: string[]): PointFilter | null {
    const key = this.payload.path('file_id');
    if (key === null || fileIds.length === 0 || fileIds.some((id) => /^\d{1,15}$/.test(id))) return null;
    return { must: [{ key, match: { any: fileIds } }] };
  }

  async deletePoints(ids: string[]): Promise<void> {
    for (const batch of chunks(ids, WRITE_BATCH_SIZE)) {
      await this.call('delete points', (client) => client.delete(this.collection, { wait: true, points: batch.map(qdrantPointId) }));
    }
  }

  async getPoints(ids: string[]): Promise<PointRef[]> {
    const points: PointRef[] = [];
    for (const batch of chunks(ids, WRITE_BATCH_SIZE)) {
      const found = await this.call('retrieve points', (client) =>
        client.retrieve(this.collection, { ids: batch.map(qdrantPointId), with_payload: this.payload.refSelector, with_vector: false }),
      );
      points.push(...found.map((point) => this.payload.toPointRef(point.id, point.payload)));
    }
    return points;
  }

  async *scrollUnmappedPoints(options: { userId?: string; pageSize?: number } = {}): AsyncIterable<PointRef[]> {
    const key = this.payload.path('file_id');
    const userKey = this.payload.path('user_id');
    if (key === null) return;
    const noFile: Condition[] = [{ is_empty: { key } }, ...this.payload.noFileIdValues.map((value) => ({ key, match: { value } }))];
    const must: Condition[] = [noFile.length === 1 ? noFile[0] : { should: noFile }];
    if (options.userId !== undefined && userKey !== null) {
      must.push(options.userId === '' ? { is_empty: { key: userKey } } : { key: userKey, match: { value: options.userId } });
    }
    for await (const page of this.scrollPages({ must }, options.pageSize ?? DEFAULT_PAGE_SIZE)) if (page.length > 0) yield page;
  }

  async search(vector: number[], options: { limit: number; userId?: string }): Promise<SearchHit[]> {
    const result = await this.call('query', (client) =>
      client.query(this.collection, {
        query: vector,
        ...(this.vectorName ? { using: this.vectorName } : {}),
        limit: options.limit,
        filter: this.byFields({ user_id: options.userId }),
        with_payload: true,
        with_vector: false,
      }),
    );
    return result.points.map((point) => ({
      id: String(point.id),
      score: point.score,
      payload: this.payload.toPointPayload(point.payload),
    }));
  }

  async count(options: { userId?: string; fileId?: string } = {}): Promise<number> {
    const filter = this.byFields({ user_id: options.userId, file_id: options.fileId });
    const result = await this.call('count', (client) => client.count(this.collection, { filter, exact: true }));
    return result.count;
  }

  async describeCollection(): Promise<VectorCollectionInfo | null> {
    const { exists } = await this.call('collection exists', (client) => client.collectionExists(this.collection));
    if (!exists) return null;
    const info = await this.call('read collection', (client) => client.getCollection(this.collection));
    const configured = info.config.params.vectors as Record<string, unknown> | undefined;
    const one = (name: string | null, raw: unknown) => {
      const v = (raw ?? {}) as { size?: number; distance?: string };
      return { name, size: v.size ?? 0, distance: v.distance ?? '' };
    };
    const vectors =
      configured && typeof configured.size === 'number' ? [one(null, configured)] : Object.entries(configured ?? {}).map(([name, raw]) => one(name, raw));
    return { vectors, points: info.points_count ?? (await this.count()) };
  }

  async samplePoints(limit: number): Promise<RawPoint[]> {
    const page = await this.call('scroll', (client) => client.scroll(this.collection, { limit, with_payload: true, with_vector: false }));
    return page.points.map((point) => ({ id: String(point.id), payload: point.payload ?? {} }));
  }

  keepPoints(ids: string[], note: PointQuarantineNote): Promise<number> {
    return this.kept.keep(ids, note);
  }

  listQuarantinedPoints(options: { fileId?: string; limit?: number; afterId?: string } = {}): Promise<QuarantinedPoint[]> {
    return this.kept.list(options);
  }

  restoreQuarantinedPoints(ids: string[]): Promise<number> {
    return this.kept.restore(ids);
  }

  purgeQuarantinedPoints(keptBefore: Date): Promise<number> {
    return this.kept.purge(keptBefore);
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
        client.scroll(this.collection, { filter, limit, offset, with_payload: this.payload.refSelector, with_vector: false }),
      );
      yield page.points.map((point) => this.payload.toPointRef(point.id, point.payload));
      const next = page.next_page_offset;
      offset = typeof next === 'string' || typeof next === 'number' ? next : undefined;
    } while (offset !== undefined);
  }

  /**
   * A must-match filter on the mapped paths of the given fields; undefined values are
   * left out. A file id that is digits also matches the integer another writer stored.
   */
  private byFields(fields: Partial<Record<'file_id' | 'user_id', string>>): PointFilter | undefined {
    const must: Condition[] = [];
    for (const [field, value] of Object.entries(fields) as ['file_id' | 'user_id', string | undefined][]) {
      const key = this.payload.path(field);
      if (value === undefined || key === null) continue;
      must.push(
        /^\d{1,15}$/.test(value)
          ? {
              should: [
                { key, match: { value } },
                { key, match: { value: Number(value) } },
              ],
            }
          : { key, match: { value } },
      );
    }
    return must.length > 0 ? { must } : undefined;
  }

  private fileFilter(fileId: string): PointFilter {
    return this.byFields({ file_id: fileId }) ?? { must: [] };
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

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
