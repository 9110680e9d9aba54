import { compileFilter, FilterablePoint, Payload, PointPredicate } from './filter';
import { badRequest, formatError } from './http-error';
import { comparePointIds, parsePointId, PointId, pointKey } from './point-id';
import { selectPayload, selectVector } from './selectors';
import { Distance, isBetter, score, storedVector, validateVector } from './vector-math';

interface StoredPoint extends FilterablePoint {
  /** By vector name; '' is the unnamed vector of a collection created with `vectors: { size, distance }`. */
  vectors: Map<string, number[]>;
}

/** A collection's vector spaces by name ('' for the unnamed one), as `PUT /collections/:name` declared them. */
export type VectorSpaces = Map<string, { size: number; distance: Distance }>;

export interface RecordView {
  id: PointId;
  payload: Payload | null;
  vector: number[] | Record<string, number[]> | null;
}

export interface ScoredView extends RecordView {
  version: number;
  score: number;
}

export interface Selection {
  withPayload?: unknown;
  withVector?: unknown;
}

export interface NearestQuery extends Selection {
  vector: unknown;
  /** The named vector to search (`using`); '' or absent: the unnamed one. */
  using?: string;
  filter?: unknown;
  limit: number;
  offset: number;
  scoreThreshold?: number;
  /** Qdrant's default differs per endpoint (search: false, the JS client sends true). */
  defaultWithPayload: boolean;
}

/** One in-memory collection with Qdrant's point semantics. */
export class Collection {
  private readonly points = new Map<string, StoredPoint>();
  private readonly payloadIndexes = new Map<string, unknown>();
  private operationId = 0;
  /** Points in id order, kept between scroll pages (rebuilt after a write), so a full scroll is not quadratic. */
  private sorted: StoredPoint[] | null = null;

  constructor(readonly spaces: VectorSpaces) {}

  private space(name: string): { size: number; distance: Distance } {
    const space = this.spaces.get(name);
    if (!space)
      throw badRequest(
        name
          ? `Wrong input: Not existing vector name error: ${name}`
          : 'Wrong input: Vector params for default vector are not specified in config (the collection has named vectors: pass `using`)',
      );
    return space;
  }

  private readVectors(raw: unknown): Map<string, number[]> {
    const vectors = new Map<string, number[]>();
    if (Array.isArray(raw)) {
      const { size, distance } = this.space('');
      vectors.set('', storedVector(validateVector(raw, size), distance));
    } else if (typeof raw === 'object' && raw !== null) {
      for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
        const { size, distance } = this.space(name);
        vectors.set(name, storedVector(validateVector(value, size), distance));
      }
    } else {
      throw badRequest('vector must be an array of numbers or an object of named vectors');
    }
    return vectors;
  }

  get pointsCount(): number {
    return this.points.size;
  }

  /** Validates every point before writing any, so a bad batch changes nothing. */
  upsert(body: Record<string, unknown>): number {
    const incoming = this.readPoints(body).map(({ id, vector, payload }) => ({
      id: parsePointId(id),
      vectors: this.readVectors(vector),
      payload: readPayload(payload),
    }));
    for (const point of incoming) this.points.set(pointKey(point.id), point);
    this.sorted = null;
    return this.nextOperation();
  }

  retrieve(rawIds: unknown, selection: Selection): RecordView[] {
    if (!Array.isArray(rawIds)) throw formatError('missing field `ids`');
    const seen = new Set<string>();
    const records: RecordView[] = [];
    for (const id of rawIds.map(parsePointId)) {
      const key = pointKey(id);
      const point = this.points.get(key);
      if (!point || seen.has(key)) continue;
      seen.add(key);
      records.push(view(point, selection, true));
    }
    return records;
  }

  scroll(options: Selection & { filter?: unknown; limit: number; offset?: unknown }) {
    const matches = compileFilter(options.filter);
    const offset = options.offset === undefined || options.offset === null ? null : parsePointId(options.offset);
    const page: StoredPoint[] = [];
    let nextPageOffset: PointId | null = null;
    const sorted = this.sortedPoints();
    for (let i = offset === null ? 0 : firstAtOrAfter(sorted, offset); i < sorted.length; i++) {
      const point = sorted[i];
      if (!matches(point)) continue;
      if (page.length === options.limit) {
        nextPageOffset = point.id;
        break;
      }
      page.push(point);
    }
    return { points: page.map((point) => view(point, options, true)), next_page_offset: nextPageOffset };
  }

  count(filter: unknown): number {
    const matches = compileFilter(filter);
    let count = 0;
    for (const point of this.points.values()) if (matches(point)) count++;
    return count;
  }

  delete(body: Record<string, unknown>): number {
    if (Array.isArray(body.points)) {
      for (const id of body.points.map(parsePointId)) this.points.delete(pointKey(id));
    } else if (body.filter !== undefined) {
      this.deleteWhere(compileFilter(body.filter));
    } else {
      throw formatError('expected `points` or `filter`');
    }
    this.sorted = null;
    return this.nextOperation();
  }

  nearest(query: NearestQuery): ScoredView[] {
    const name = query.using ?? '';
    const { size, distance } = this.space(name);
    const vector = storedVector(validateVector(query.vector, size), distance);
    const matches = compileFilter(query.filter);
    const scored: Array<{ point: StoredPoint; score: number }> = [];
    for (const point of this.points.values()) {
      const stored = point.vectors.get(name);
      if (!stored || !matches(point)) continue;
      const value = score(stored, vector, distance);
      if (query.scoreThreshold !== undefined && isBetter(query.scoreThreshold, value, distance)) continue;
      scored.push({ point, score: value });
    }
    scored.sort((a, b) => (a.score === b.score ? comparePointIds(a.point.id, b.point.id) : isBetter(a.score, b.score, distance) ? -1 : 1));
    return scored.slice(query.offset, query.offset + query.limit).map(({ point, score: value }) => ({
      ...view(point, { withPayload: query.withPayload, withVector: query.withVector }, query.defaultWithPayload),
      version: 0,
      score: value,
    }));
  }

  createPayloadIndex(fieldName: unknown, fieldSchema: unknown): number {
    if (typeof fieldName !== 'string' || fieldName.length === 0) throw formatError('missing field `field_name`');
    const type = typeof fieldSchema === 'string' ? fieldSchema : (fieldSchema as { type?: unknown } | null)?.type;
    const known = ['keyword', 'integer', 'float', 'bool', 'geo', 'text', 'datetime', 'uuid'];
    if (typeof type !== 'string' || !known.includes(type)) throw badRequest(`unknown field schema ${JSON.stringify(fieldSchema)}`);
    this.payloadIndexes.set(fieldName, type);
    return this.nextOperation();
  }

  info() {
    const payloadSchema = Object.fromEntries(
      [...this.payloadIndexes].map(([field, type]) => [
        field,
        { data_type: type, params: {}, points: this.count({ must_not: [{ is_empty: { key: field } }] }) },
      ]),
    );
    return {
      status: 'green',
      optimizer_status: 'ok',
      indexed_vectors_count: 0,
      points_count: this.points.size,
      segments_count: 1,
      config: {
        params: {
          vectors: this.spaces.has('')
            ? { size: this.spaces.get('')!.size, distance: this.spaces.get('')!.distance }
            : Object.fromEntries([...this.spaces].map(([name, space]) => [name, { size: space.size, distance: space.distance }])),
          shard_number: 1,
          replication_factor: 1,
          write_consistency_factor: 1,
          on_disk_payload: true,
        },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
        optimizer_config: {
          deleted_threshold: 0.2,
          vacuum_min_vector_number: 1000,
          default_segment_number: 0,
          max_segment_size: null,
          memmap_threshold: null,
          indexing_threshold: 20000,
          flush_interval_sec: 5,
          max_optimization_threads: null,
        },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        quantization_config: null,
      },
      payload_schema: payloadSchema,
    };
  }

  private deleteWhere(matches: PointPredicate): void {
    for (const [key, point] of this.points) if (matches(point)) this.points.delete(key);
  }

  private sortedPoints(): StoredPoint[] {
    this.sorted ??= [...this.points.values()].sort((a, b) => comparePointIds(a.id, b.id));
    return this.sorted;
  }

  private readPoints(body: Record<string, unknown>): Array<{ id: unknown; vector: unknown; payload: unknown }> {
    if (Array.isArray(body.points)) {
      return body.points.map((point) => {
        if (typeof point !== 'object' || point === null) throw formatError('each point must be an object');
        const { id, vector, payload } = point as Record<string, unknown>;
        return { id, vector, payload };
      });
    }
    const batch = body.batch as { ids?: unknown; vectors?: unknown; payloads?: unknown } | undefined;
    if (batch && Array.isArray(batch.ids) && Array.isArray(batch.vectors)) {
      const { ids, vectors } = batch as { ids: unknown[]; vectors: unknown[] };
      const payloads = Array.isArray(batch.payloads) ? batch.payloads : [];
      if (vectors.length !== ids.length) throw badRequest('batch ids and vectors differ in length');
      return ids.map((id, i) => ({ id, vector: vectors[i], payload: payloads[i] }));
    }
    throw formatError('expected `points` or `batch`');
  }

  private nextOperation(): number {
    return this.operationId++;
  }
}

/** Index of the first point whose id is not below `offset` (binary search). */
function firstAtOrAfter(sorted: StoredPoint[], offset: PointId): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (comparePointIds(sorted[mid].id, offset) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function view(point: StoredPoint, selection: Selection, defaultWithPayload: boolean): RecordView {
  return {
    id: point.id,
    payload: selectPayload(point.payload, selection.withPayload, defaultWithPayload),
    vector: selectVector(point.vectors, selection.withVector, false),
  };
}

function readPayload(raw: unknown): Payload {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw formatError('payload must be an object');
  // A deep copy: later changes to the request object must not reach stored points.
  return structuredClone(raw as Payload);
}
