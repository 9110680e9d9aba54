import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StoreName, StoreUnavailableError } from '@storesync/core';

/**
 * The embedded database file behind the local adapters (node:sqlite, no native addon).
 * One connection per adapter; WAL lets them share the file.
 */
export class LocalDatabase {
  private db: DatabaseSync | null;

  constructor(
    readonly file: string,
    private readonly store: StoreName,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
  }

  /** The open connection; a closed database is an unavailable store, not an empty one. */
  get connection(): DatabaseSync {
    if (!this.db) throw new StoreUnavailableError(this.store, `local database ${this.file} is closed`);
    return this.db;
  }

  /** Runs fn, turning SQLite failures (I/O, locked, corrupt) into StoreUnavailableError. */
  run<T>(fn: (db: DatabaseSync) => T): T {
    const db = this.connection;
    try {
      return fn(db);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'ERR_SQLITE_ERROR' && /constraint/i.test((error as Error).message)) throw error;
      throw new StoreUnavailableError(this.store, (error as Error).message, error);
    }
  }

  transaction<T>(fn: (db: DatabaseSync) => T): T {
    return this.run((db) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = fn(db);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}

/** Quotes an identifier coming from configuration (collection names) for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
