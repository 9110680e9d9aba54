import type { PointQuarantineNote, QuarantinedPoint } from '../ports/vector.store';
import { LocalDatabase, quoteIdent } from './local-database';

const COLUMNS = 'id, file_id, user_id, chunk_index, chunk_count, content_hash, model, text, vector';

/**
 * The embedded store's point quarantine (safety rule 4): a table beside the collection's
 * with the same columns, vectors included, and the note (when, why).
 */
export class LocalPointQuarantine {
  private readonly table: string;
  private made = false;

  constructor(
    private readonly db: LocalDatabase,
    collection: string,
    private readonly points: string,
  ) {
    this.table = quoteIdent(`vectors:${collection}:quarantine`);
  }

  keep(ids: string[], note: PointQuarantineNote): number {
    if (ids.length === 0) return 0;
    this.ensureTable();
    return this.db.transaction((db) => {
      const copy = db.prepare(
        `INSERT OR REPLACE INTO ${this.table} (${COLUMNS}, quarantined_at, reason) SELECT ${COLUMNS}, ?, ? FROM ${this.points} WHERE id = ?`,
      );
      let kept = 0;
      for (const id of new Set(ids.map((i) => i.toLowerCase()))) kept += Number(copy.run(note.at.toISOString(), note.reason, id).changes);
      return kept;
    });
  }

  list(options: { fileId?: string; limit?: number; afterId?: string }): QuarantinedPoint[] {
    this.ensureTable();
    const params: (string | number)[] = [options.afterId ?? ''];
    let where = 'id > ?';
    if (options.fileId !== undefined) {
      where += ' AND file_id = ?';
      params.push(options.fileId);
    }
    params.push(options.limit ?? 100);
    const rows = this.db.run((db) =>
      db.prepare(`SELECT id, file_id, user_id, quarantined_at, reason FROM ${this.table} WHERE ${where} ORDER BY id LIMIT ?`).all(...params),
    ) as { id: string; file_id: string; user_id: string; quarantined_at: string; reason: string }[];
    return rows.map((r) => ({ id: r.id, fileId: r.file_id, userId: r.user_id, quarantinedAt: new Date(r.quarantined_at), reason: r.reason }));
  }

  restore(ids: string[]): number {
    if (ids.length === 0) return 0;
    this.ensureTable();
    return this.db.transaction((db) => {
      const back = db.prepare(`INSERT OR REPLACE INTO ${this.points} (${COLUMNS}) SELECT ${COLUMNS} FROM ${this.table} WHERE id = ?`);
      const remove = db.prepare(`DELETE FROM ${this.table} WHERE id = ?`);
      let restored = 0;
      for (const id of new Set(ids.map((i) => i.toLowerCase()))) {
        if (Number(back.run(id).changes) === 0) continue;
        remove.run(id);
        restored += 1;
      }
      return restored;
    });
  }

  purge(keptBefore: Date): number {
    this.ensureTable();
    return Number(this.db.run((db) => db.prepare(`DELETE FROM ${this.table} WHERE quarantined_at < ?`).run(keptBefore.toISOString())).changes);
  }

  private ensureTable(): void {
    if (this.made) return;
    this.db.run((db) =>
      db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (
        id TEXT PRIMARY KEY, file_id TEXT NOT NULL, user_id TEXT NOT NULL, chunk_index INTEGER NOT NULL,
        chunk_count INTEGER NOT NULL, content_hash TEXT NOT NULL, model TEXT, text TEXT, vector BLOB NOT NULL,
        quarantined_at TEXT NOT NULL, reason TEXT NOT NULL
      ) WITHOUT ROWID`),
    );
    this.made = true;
  }
}
