import * as path from 'node:path';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { ConflictError, PointRef, SearchHit, StoreError, StoreErrorCode, StoreUnavailableError, VectorPoint } from '@storesync/core';
import { PointQuarantineNote, QuarantinedPoint, RawPoint, ScrollPointsOptions, VectorCollectionInfo, VectorStore } from '../ports';
import { LocalPointQuarantine } from './local-point-quarantine';
import { LocalDatabase, quoteIdent } from './local-database';
import { cosineSimilarity, fromVectorBlob, NearestList, toVectorBlob } from './local-vector.math';

export interface LocalVectorSettings {
  dataDir: string;
  collection: string;
}

interface PointRow {
  id: string;
  file_id: string;
  user_id: string;
  chunk_index: number;
  chunk_count: number;
  content_hash: string;
  model: string | null;
}

interface SearchRow extends PointRow {
  text: string | null;
  vector: Uint8Array;
}

const REF_COLUMNS = 'id, file_id, user_id, chunk_index, chunk_count, content_hash, model';
// Kept apart from the tables' own names ("vectors:<collection>"), so no collection can clash with it.
const COLLECTIONS_TABLE = 'vector_collections';
const DEFAULT_PAGE_SIZE = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * VectorStore on the embedded database file: the default when QDRANT_URL is unset.
 * Same behaviour as the Qdrant adapter: UUID ids in lowercase, scans in id order, cosine
 * scores, and a collection that was never initialised reads as unavailable, not empty.
 */
export class LocalVectorStore extends VectorStore {
  readonly kind = 'local' as const;
  private readonly db: LocalDatabase;
  private readonly table: string;
  private dimension: number | null = null;
  private readonly kept: LocalPointQuarantine;

  constructor(private readonly settings: LocalVectorSettings) {
    super();
    this.db = new LocalDatabase(path.join(settings.dataDir, 'storesync.db'), 'qdrant');
    // The metadata store's table may carry the same collection name in the same file.
    this.table = quoteIdent(`vectors:${settings.collection}`);
    this.kept = new LocalPointQuarantine(this.db, settings.collection, this.table);
  }

  async init(dimension: number): Promise<void> {
    if (!Number.isInteger(dimension) || dimension < 1) throw invalid(`dimension must be a positive integer, got ${dimension}`);
    const index = (name: string) => quoteIdent(`vectors:${this.settings.collection}:${name}`);
    const stored = this.db.transaction((db) => {
      db.exec(`CREATE TABLE IF NOT EXISTS ${COLLECTIONS_TABLE} (name TEXT PRIMARY KEY, dimension INTEGER NOT NULL)`);
      db.prepare(`INSERT OR IGNORE INTO ${COLLECTIONS_TABLE} (name, dimension) VALUES (?, ?)`).run(this.settings.collection, dimension);
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${this.table} (
          id TEXT PRIMARY KEY, file_id TEXT NOT NULL, user_id TEXT NOT NULL, chunk_index INTEGER NOT NULL,
          chunk_count INTEGER NOT NULL, content_hash TEXT NOT NULL, model TEXT, text TEXT, vector BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ${index('file_id')} ON ${this.table} (file_id, chunk_index);
        CREATE INDEX IF NOT EXISTS ${index('user_id')} ON ${this.table} (user_id, id);`);
      return this.readDimension(db);
    });
    if (stored !== dimension) {
      throw new ConflictError('qdrant', `collection ${this.settings.collection} holds ${stored}-dimension vectors, expected ${dimension}`);
    }
    this.dimension = stored;
  }

  async *scrollPointRefs(options: ScrollPointsOptions = {}): AsyncIterable<PointRef[]> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const userClause = options.userId !== undefined ? 'user_id = ? AND' : '';
    const userParams = options.userId !== undefined ? [options.userId] : [];
    // Keyset pages by id: lowercase UUID text sorts as Qdrant orders UUID ids.
    let after = '';
    for (;;) {
      const rows = this.all<PointRow>(
        `SELECT ${REF_COLUMNS} FROM ${this.table} WHERE ${userClause} id > ? ORDER BY id LIMIT ?`,
        ...userParams,
        after,
        pageSize,
      );
      if (rows.length > 0) yield rows.map(toPointRef);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].id;
    }
  }

  async getFilePoints(fileId: string): Promise<PointRef[]> {
    const rows = this.all<PointRow>(`SELECT ${REF_COLUMNS} FROM ${this.table} WHERE file_id = ? ORDER BY chunk_index, id`, fileId);
    return rows.map(toPointRef);
  }

  async getPoints(ids: string[]): Promise<PointRef[]> {
    const points: PointRef[] = [];
    for (const id of new Set(ids.map((i) => i.toLowerCase()))) {
      points.push(...this.all<PointRow>(`SELECT ${REF_COLUMNS} FROM ${this.table} WHERE id = ?`, id).map(toPointRef));
    }
    return points;
  }

  async *scrollUnmappedPoints(options: { userId?: string; pageSize?: number } = {}): AsyncIterable<PointRef[]> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const userClause = options.userId !== undefined ? 'AND user_id = ?' : '';
    const userParams = options.userId !== undefined ? [options.userId] : [];
    let after = '';
    for (;;) {
      const rows = this.all<PointRow>(
        `SELECT ${REF_COLUMNS} FROM ${this.table} WHERE file_id = '' ${userClause} AND id > ? ORDER BY id LIMIT ?`,
        ...userParams,
        after,
        pageSize,
      );
      if (rows.length > 0) yield rows.map(toPointRef);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].id;
    }
  }

  async upsert(points: VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    const dimension = this.collectionDimension();
    const rows = points.map((point) => toRow(point, dimension));
    this.db.transaction((db) => {
      const statement = db.prepare(
        `INSERT OR REPLACE INTO ${this.table} (id, file_id, user_id, chunk_index, chunk_count, content_hash, model, text, vector)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const row of rows) statement.run(...row);
    });
  }

  async deleteByFileId(fileId: string): Promise<void> {
    this.db.run((db) => db.prepare(`DELETE FROM ${this.table} WHERE file_id = ?`).run(fileId));
  }

  async deletePoints(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    this.db.transaction((db) => {
      const statement = db.prepare(`DELETE FROM ${this.table} WHERE id = ?`);
      for (const id of ids) statement.run(id.toLowerCase());
    });
  }

  async search(vector: number[], options: { limit: number; userId?: string }): Promise<SearchHit[]> {
    const dimension = this.collectionDimension();
    if (vector.length !== dimension) throw invalid(`query has ${vector.length} dimensions, the collection ${dimension}`);
    const userClause = options.userId !== undefined ? 'WHERE user_id = ?' : '';
    const userParams = options.userId !== undefined ? [options.userId] : [];
    // Brute force over a cursor: memory holds only the best `limit` rows.
    const nearest = new NearestList<SearchRow>(options.limit);
    this.db.run((db) => {
      const rows = db.prepare(`SELECT ${REF_COLUMNS}, text, vector FROM ${this.table} ${userClause}`).iterate(...userParams) as Iterable<unknown>;
      for (const row of rows as Iterable<SearchRow>) {
        nearest.offer(row.id, cosineSimilarity(fromVectorBlob(row.vector), vector), row);
      }
    });
    return nearest.sorted().map(({ score, item }) => {
      const { id, ...payload } = toPointRef(item);
      return { id, score, payload: item.text === null ? payload : { ...payload, text: item.text } };
    });
  }

  async count(options: { userId?: string; fileId?: string } = {}): Promise<number> {
    const conditions = Object.entries({ user_id: options.userId, file_id: options.fileId }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    );
    const where = conditions.length > 0 ? `WHERE ${conditions.map(([column]) => `${column} = ?`).join(' AND ')}` : '';
    const params = conditions.map(([, value]) => value);
    const [row] = this.all<{ count: number }>(`SELECT COUNT(*) AS count FROM ${this.table} ${where}`, ...params);
    return Number(row.count);
  }

  /** Open and initialised: a missing table is a broken store, not an empty one. */
  async describeCollection(): Promise<VectorCollectionInfo | null> {
    const size = this.dimension ?? (await this.tryDimension());
    if (size === null) return null;
    const points = await this.count();
    return { vectors: [{ name: null, size, distance: 'Cosine' }], points };
  }

  private async tryDimension(): Promise<number | null> {
    try {
      return this.collectionDimension();
    } catch {
      return null;
    }
  }

  async samplePoints(limit: number): Promise<RawPoint[]> {
    const rows = this.all<PointRow>(`SELECT ${REF_COLUMNS} FROM ${this.table} ORDER BY id LIMIT ?`, limit);
    return rows.map((row) => ({
      id: row.id,
      payload: {
        file_id: row.file_id,
        user_id: row.user_id,
        chunk_index: row.chunk_index,
        chunk_count: row.chunk_count,
        content_hash: row.content_hash,
        ...(row.model !== null ? { model: row.model } : {}),
      },
    }));
  }

  async keepPoints(ids: string[], note: PointQuarantineNote): Promise<number> {
    return this.kept.keep(ids, note);
  }

  async listQuarantinedPoints(options: { fileId?: string; limit?: number; afterId?: string } = {}): Promise<QuarantinedPoint[]> {
    return this.kept.list(options);
  }

  async restoreQuarantinedPoints(ids: string[]): Promise<number> {
    return this.kept.restore(ids);
  }

  async purgeQuarantinedPoints(keptBefore: Date): Promise<number> {
    return this.kept.purge(keptBefore);
  }

  async ping(): Promise<void> {
    this.all(`SELECT 1 FROM ${this.table} LIMIT 1`);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.db.run((db) => db.prepare(sql).all(...params)) as T[];
  }

  private collectionDimension(): number {
    this.dimension ??= this.db.run((db) => this.readDimension(db));
    return this.dimension;
  }

  private readDimension(db: DatabaseSync): number {
    const row = db.prepare(`SELECT dimension FROM ${COLLECTIONS_TABLE} WHERE name = ?`).get(this.settings.collection);
    if (!row) throw new StoreUnavailableError('qdrant', `collection ${this.settings.collection} does not exist`);
    return Number((row as { dimension: number }).dimension);
  }
}

function toRow(point: VectorPoint, dimension: number): SQLInputValue[] {
  const id = point.id.toLowerCase();
  if (!UUID.test(id)) throw invalid(`point id ${JSON.stringify(point.id)} is not a UUID`);
  if (point.vector.length !== dimension) {
    throw invalid(`point ${id} has ${point.vector.length} dimensions, the collection ${dimension}`);
  }
  if (!point.vector.every(Number.isFinite)) throw invalid(`point ${id} has a non-finite vector component`);
  return [
    id,
    point.fileId,
    point.userId,
    point.chunkIndex,
    point.chunkCount,
    point.contentHash,
    point.model ?? null,
    point.text ?? null,
    toVectorBlob(point.vector),
  ];
}

function toPointRef(row: PointRow): PointRef {
  const ref: PointRef = {
    id: row.id,
    fileId: row.file_id,
    userId: row.user_id,
    chunkIndex: Number(row.chunk_index),
    chunkCount: Number(row.chunk_count),
    contentHash: row.content_hash,
  };
  if (row.model !== null) ref.model = row.model;
  return ref;
}

function invalid(message: string): StoreError {
  return new StoreError(StoreErrorCode.Invalid, 'qdrant', message);
}
