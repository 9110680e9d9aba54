import * as path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { StateCollection, StateDocument, StateFilter, StateFindOptions, StateStore } from '../ports';
import { LocalDatabase, quoteIdent } from './local-database';

type SqlValue = string | number | null;

function sqlValue(value: unknown): SqlValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as SqlValue;
}

function fieldExpr(field: string): string {
  if (field === 'id') return 'id';
  if (!/^[a-z_][a-z0-9_]*$/i.test(field)) throw new Error(`invalid state field ${field}`);
  return `json_extract(doc, '$.${field}')`;
}

function isEquality(condition: StateFilter[string] | undefined): boolean {
  return condition !== undefined && (condition === null || typeof condition !== 'object');
}

/** Filter → SQL over the JSON column (booleans are stored by SQLite's JSON as 1/0). */
function where(filter: StateFilter): { sql: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    const expr = fieldExpr(field);
    if (condition !== null && typeof condition === 'object') {
      if ('$in' in condition) {
        if (condition.$in.length === 0) {
          clauses.push('0');
          continue;
        }
        clauses.push(`${expr} IN (${condition.$in.map(() => '?').join(',')})`);
        params.push(...condition.$in.map(sqlValue));
      } else if ('$ne' in condition) {
        clauses.push(condition.$ne === null ? `${expr} IS NOT NULL` : `(${expr} IS NULL OR ${expr} <> ?)`);
        if (condition.$ne !== null) params.push(sqlValue(condition.$ne));
      } else if ('$lt' in condition) {
        clauses.push(`${expr} < ?`);
        params.push(sqlValue(condition.$lt));
      } else if ('$gt' in condition) {
        clauses.push(`${expr} > ?`);
        params.push(sqlValue(condition.$gt));
      }
    } else if (condition === null) {
      clauses.push(`${expr} IS NULL`);
    } else {
      clauses.push(`${expr} = ?`);
      params.push(sqlValue(condition));
    }
  }
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
}

/**
 * The queries (without LIMIT) whose results, concatenated, are one page of `find`. A keyset
 * cursor on a sort field other than id is two index ranges: the rest of the cursor's sort
 * value by id, then the values past it. One `(v > ? OR (v = ? AND id > ?))` predicate is
 * not an index range for SQLite: every page would re-read and re-sort all that is left
 * (a 100,000-issue plan paged in 500s read 10 million rows). Exported for the query-plan test.
 */
export function pageQueries(table: string, filter: StateFilter, options: StateFindOptions): { sql: string; params: SqlValue[] }[] {
  const w = where(filter);
  const select = `SELECT doc FROM ${table} WHERE ${w.sql}`;
  const dir = options.order === 'desc' ? 'DESC' : 'ASC';
  const op = dir === 'DESC' ? '<' : '>';
  const sortExpr = options.sortBy ? fieldExpr(options.sortBy) : 'id';
  if (!options.after) return [{ sql: `${select} ORDER BY ${sortExpr === 'id' ? 'id' : `${sortExpr} ${dir}, id`} ${dir}`, params: w.params }];
  const { value, id } = options.after;
  if (sortExpr === 'id') return [{ sql: `${select} AND id ${op} ? ORDER BY id ${dir}`, params: [...w.params, id] }];
  return [
    { sql: `${select} AND ${sortExpr} = ? AND id ${op} ? ORDER BY id ${dir}`, params: [...w.params, sqlValue(value), id] },
    { sql: `${select} AND ${sortExpr} ${op} ? ORDER BY ${sortExpr} ${dir}, id ${dir}`, params: [...w.params, sqlValue(value)] },
  ];
}

/** A declared index; `closed` once it ends with id (what keyset pages on its last field need). */
interface DeclaredIndex {
  fields: string[];
  name: string;
  closed: boolean;
}

class LocalStateCollection<T extends StateDocument> extends StateCollection<T> {
  private readonly table: string;
  private readonly indexes: DeclaredIndex[];

  constructor(
    private readonly db: LocalDatabase,
    private readonly name: string,
    indexes: string[][],
  ) {
    super();
    this.table = quoteIdent(name);
    this.indexes = db.run((conn) => {
      conn.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
      const existing = new Set(this.definitions(conn).values());
      return indexes
        .filter((fields) => fields.length > 0)
        .map((fields) => {
          const name = `${this.name}_${fields.join('_')}`;
          // Closed by an earlier keyset page (in this file, whatever its name): nothing more to build.
          const closed = fields[fields.length - 1] === 'id' || existing.has(this.onColumns([...fields, 'id']));
          if (!closed) conn.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ${this.onColumns(fields)}`);
          return { fields, name, closed };
        });
    });
  }

  /** `ON table (columns)` as the schema stores it for an index on `fields`. */
  private onColumns(fields: string[]): string {
    return `ON ${this.table} (${fields.map(fieldExpr).join(', ')})`;
  }

  /** The table's indexes: name → `ON table (columns)`. */
  private definitions(conn: DatabaseSync): Map<string, string> {
    const rows = conn.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(this.name) as {
      name: string;
      sql: string;
    }[];
    return new Map(rows.map((row) => [row.name, row.sql.slice(row.sql.indexOf(' ON ') + 1)]));
  }

  /**
   * Pages sorted by `sortBy` read the rest of a run of equal values in id order: the index that
   * ends with `sortBy` (after fields the filter fixes) gets id as its last column, once, when the
   * first such page is read. Only indexes that are paged this way pay for the longer entries
   * (append-only audit rows have five indexes).
   */
  private closeFor(filter: StateFilter, sortBy: string | undefined): void {
    if (!sortBy || sortBy === 'id') return;
    for (const index of this.indexes) {
      if (index.closed || index.fields[index.fields.length - 1] !== sortBy) continue;
      if (!index.fields.slice(0, -1).every((field) => isEquality(filter[field]))) continue;
      this.db.run((conn) => {
        conn.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${index.name}__id`)} ${this.onColumns([...index.fields, 'id'])}`);
        // Its name may be another declared index's (['file_id'] against ['file'] closed): only the same columns go.
        if (this.definitions(conn).get(index.name) === this.onColumns(index.fields)) conn.exec(`DROP INDEX ${quoteIdent(index.name)}`);
      });
      index.closed = true;
    }
  }

  async get(id: string): Promise<T | null> {
    const row = this.db.run((c) => c.prepare(`SELECT doc FROM ${this.table} WHERE id = ?`).get(id)) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  async insert(doc: T): Promise<void> {
    this.db.run((c) => c.prepare(`INSERT INTO ${this.table} (id, doc) VALUES (?, ?)`).run(doc.id, JSON.stringify(doc)));
  }

  async insertMany(docs: T[]): Promise<void> {
    if (docs.length === 0) return;
    this.db.transaction((c) => {
      const statement = c.prepare(`INSERT INTO ${this.table} (id, doc) VALUES (?, ?)`);
      for (const doc of docs) statement.run(doc.id, JSON.stringify(doc));
    });
  }

  async insertNew(docs: T[]): Promise<string[]> {
    const inserted: string[] = [];
    if (docs.length === 0) return inserted;
    this.db.transaction((c) => {
      const statement = c.prepare(`INSERT OR IGNORE INTO ${this.table} (id, doc) VALUES (?, ?)`);
      for (const doc of docs) if (Number(statement.run(doc.id, JSON.stringify(doc)).changes) > 0) inserted.push(doc.id);
    });
    return inserted;
  }

  async upsertMany(docs: T[]): Promise<void> {
    if (docs.length === 0) return;
    this.db.transaction((c) => {
      const statement = c.prepare(`INSERT OR REPLACE INTO ${this.table} (id, doc) VALUES (?, ?)`);
      for (const doc of docs) statement.run(doc.id, JSON.stringify(doc));
    });
  }

  async update(id: string, fields: Partial<T>): Promise<boolean> {
    return (await this.patch({ id }, fields)) > 0;
  }

  async updateMany(filter: StateFilter, fields: Partial<T>): Promise<number> {
    return this.patch(filter, fields);
  }

  /** Top-level $set semantics (as MongoDB): JSON merge-patch would drop fields set to null. */
  private async patch(filter: StateFilter, fields: Partial<T>): Promise<number> {
    const w = where(filter);
    return this.db.transaction((c) => {
      const rows = c.prepare(`SELECT id, doc FROM ${this.table} WHERE ${w.sql}`).all(...w.params) as { id: string; doc: string }[];
      const write = c.prepare(`UPDATE ${this.table} SET doc = ? WHERE id = ?`);
      for (const row of rows) write.run(JSON.stringify({ ...JSON.parse(row.doc), ...fields, id: row.id }), row.id);
      return rows.length;
    });
  }

  async find(filter: StateFilter, options: StateFindOptions = {}): Promise<T[]> {
    if (options.limit) this.closeFor(filter, options.sortBy);
    const rows: { doc: string }[] = [];
    for (const query of pageQueries(this.table, filter, options)) {
      const limit = options.limit ? Math.floor(options.limit) - rows.length : undefined;
      if (limit !== undefined && limit <= 0) break;
      const sql = limit !== undefined ? `${query.sql} LIMIT ${limit}` : query.sql;
      rows.push(...(this.db.run((c) => c.prepare(sql).all(...query.params)) as { doc: string }[]));
    }
    return rows.map((r) => JSON.parse(r.doc) as T);
  }

  async count(filter: StateFilter): Promise<number> {
    const w = where(filter);
    const row = this.db.run((c) => c.prepare(`SELECT COUNT(*) AS n FROM ${this.table} WHERE ${w.sql}`).get(...w.params)) as { n: number };
    return Number(row.n);
  }

  async deleteMany(filter: StateFilter): Promise<number> {
    const w = where(filter);
    return Number(this.db.run((c) => c.prepare(`DELETE FROM ${this.table} WHERE ${w.sql}`).run(...w.params)).changes);
  }
}

/** StateStore on the embedded database file. */
export class LocalStateStore extends StateStore {
  private readonly db: LocalDatabase;
  private readonly collections = new Map<string, StateCollection<StateDocument>>();

  constructor(settings: { dataDir: string }) {
    super();
    this.db = new LocalDatabase(path.join(settings.dataDir, 'storesync.db'), 'mongodb');
  }

  collection<T extends StateDocument>(name: string, indexes: string[][] = []): StateCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new LocalStateCollection<StateDocument>(this.db, name, indexes);
      this.collections.set(name, collection);
    }
    return collection as unknown as StateCollection<T>;
  }

  async ping(): Promise<void> {
    this.db.run((c) => c.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
