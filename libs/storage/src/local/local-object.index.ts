import { randomBytes } from 'node:crypto';
import type { ObjectInfo, ObjectVersion } from '@storesync/core';
import { LocalDatabase, quoteIdent } from './local-database';

/** The unversioned version id, as S3 names it. */
export const NULL_VERSION = 'null';

export interface ObjectRow {
  key: string;
  version_id: string;
  is_latest: number;
  is_delete_marker: number;
  size: number;
  sha256: string | null;
  etag: string | null;
  content_type: string | null;
  last_modified: number;
  blob: string | null;
}

/** What a new version holds: its bytes' file and their description. */
export interface StoredBody {
  blob: string;
  size: number;
  sha256: string;
  etag: string;
  contentType: string;
}

export function toObjectInfo(row: ObjectRow): ObjectInfo {
  return {
    key: row.key,
    size: row.size,
    etag: row.etag ?? undefined,
    lastModified: new Date(row.last_modified),
    sha256: row.sha256 ?? undefined,
    contentType: row.content_type ?? undefined,
  };
}

export function toObjectVersion(row: ObjectRow): ObjectVersion {
  return {
    key: row.key,
    versionId: row.version_id,
    size: row.size,
    lastModified: new Date(row.last_modified),
    isLatest: row.is_latest === 1,
    isDeleteMarker: row.is_delete_marker === 1,
    sha256: row.sha256 ?? undefined,
  };
}

/**
 * The key index of one local bucket: one row per version (a single "null" version when
 * versioning is off, as in S3). Keys are TEXT with SQLite's default BINARY collation,
 * which compares the UTF-8 bytes: the same order S3 lists in.
 */
export class LocalObjectIndex {
  private readonly table: string;
  private readonly latestIndex: string;

  constructor(
    private readonly db: LocalDatabase,
    bucket: string,
  ) {
    // Prefixed so the bucket "files" cannot collide with the metadata collection "files".
    this.table = quoteIdent(`objects:${bucket}`);
    this.latestIndex = quoteIdent(`objects:${bucket}:latest`);
  }

  create(): void {
    this.db.run((db) =>
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${this.table} (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          key TEXT NOT NULL,
          version_id TEXT NOT NULL,
          is_latest INTEGER NOT NULL,
          is_delete_marker INTEGER NOT NULL,
          size INTEGER NOT NULL,
          sha256 TEXT,
          etag TEXT,
          content_type TEXT,
          last_modified INTEGER NOT NULL,
          blob TEXT,
          UNIQUE (key, version_id)
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ${this.latestIndex} ON ${this.table} (key) WHERE is_latest = 1;
      `),
    );
  }

  /** Live objects after `afterKey` (exclusive) within [lower, upper), in key order. */
  page(afterKey: string | null, lower: string, upper: string | null, limit: number): ObjectRow[] {
    const conditions = ['is_latest = 1', 'is_delete_marker = 0', 'key >= ?'];
    const params: (string | number)[] = [lower];
    if (afterKey !== null) {
      conditions.push('key > ?');
      params.push(afterKey);
    }
    if (upper !== null) {
      conditions.push('key < ?');
      params.push(upper);
    }
    params.push(limit);
    const sql = `SELECT * FROM ${this.table} WHERE ${conditions.join(' AND ')} ORDER BY key LIMIT ?`;
    return this.db.run((db) => db.prepare(sql).all(...params) as unknown as ObjectRow[]);
  }

  /** The current version, or undefined when the key is absent or its latest is a delete marker. */
  current(key: string): ObjectRow | undefined {
    const row = this.db.run((db) => db.prepare(`SELECT * FROM ${this.table} WHERE key = ? AND is_latest = 1`).get(key) as unknown as ObjectRow | undefined);
    return row && row.is_delete_marker === 0 ? row : undefined;
  }

  version(key: string, versionId: string): ObjectRow | undefined {
    return this.db.run(
      (db) => db.prepare(`SELECT * FROM ${this.table} WHERE key = ? AND version_id = ?`).get(key, versionId) as unknown as ObjectRow | undefined,
    );
  }

  /** Every version of the key, newest first (insertion order, not clock order). */
  versions(key: string): ObjectRow[] {
    return this.db.run((db) => db.prepare(`SELECT * FROM ${this.table} WHERE key = ? ORDER BY seq DESC`).all(key) as unknown as ObjectRow[]);
  }

  /**
   * Makes `body` the key's latest version. With versioning the old versions stay; without,
   * only the "null" version is replaced (S3's rule, also for a once-versioned bucket).
   * Returns the blobs no row references any more, for the caller to unlink.
   */
  recordPut(key: string, body: StoredBody, versioning: boolean, now: Date): string[] {
    return this.db.transaction((db) => {
      const released = versioning ? [] : this.dropNullVersion(key);
      db.prepare(`UPDATE ${this.table} SET is_latest = 0 WHERE key = ? AND is_latest = 1`).run(key);
      db.prepare(
        `INSERT INTO ${this.table}
          (key, version_id, is_latest, is_delete_marker, size, sha256, etag, content_type, last_modified, blob)
          VALUES (?, ?, 1, 0, ?, ?, ?, ?, ?, ?)`,
      ).run(key, versioning ? newVersionId() : NULL_VERSION, body.size, body.sha256, body.etag, body.contentType, now.getTime(), body.blob);
      return released;
    });
  }

  /**
   * Deletes the key: with versioning a delete marker hides it; without, the "null"
   * version goes, and a marker is left only if older versions remain. Returns freed blobs.
   */
  recordDelete(key: string, versioning: boolean, now: Date): string[] {
    return this.db.transaction((db) => {
      if (versioning && !this.current(key)) return [];
      const released = versioning ? [] : this.dropNullVersion(key);
      const remaining = db.prepare(`SELECT COUNT(*) AS n FROM ${this.table} WHERE key = ?`).get(key) as {
        n: number;
      };
      if (remaining.n === 0) return released;
      db.prepare(`UPDATE ${this.table} SET is_latest = 0 WHERE key = ? AND is_latest = 1`).run(key);
      db.prepare(
        `INSERT INTO ${this.table}
          (key, version_id, is_latest, is_delete_marker, size, last_modified)
          VALUES (?, ?, 1, 1, 0, ?)`,
      ).run(key, versioning ? newVersionId() : NULL_VERSION, now.getTime());
      return released;
    });
  }

  private dropNullVersion(key: string): string[] {
    const row = this.version(key, NULL_VERSION);
    if (!row) return [];
    this.db.run((db) => db.prepare(`DELETE FROM ${this.table} WHERE key = ? AND version_id = ?`).run(key, NULL_VERSION));
    return row.blob ? [row.blob] : [];
  }
}

function newVersionId(): string {
  return randomBytes(16).toString('hex');
}
