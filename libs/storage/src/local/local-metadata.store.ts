import * as path from 'node:path';
import type { StatementSync } from 'node:sqlite';
import { ConflictError, FileRecord, FileRecordPatch, UserFileCount } from '@storesync/core';
import { ChangedSinceCursor, ChangeStreamsUnsupportedError, MetadataChange, MetadataStore, StreamFilesOptions } from '../ports';
import { LocalDatabase, quoteIdent } from './local-database';

export interface LocalMetadataSettings {
  dataDir: string;
  collection: string;
}

interface FileRow {
  file_id: string;
  user_id: string;
  file_key: string;
  file_name: string;
  file_size: number;
  content_type: string;
  sha256: string | null;
  is_active: number;
  embedding: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const COLUMNS = 'file_id, user_id, file_key, file_name, file_size, content_type, sha256, is_active, embedding, created_at, updated_at, deleted_at';

function fromRow(row: FileRow): FileRecord {
  return {
    fileId: row.file_id,
    userId: row.user_id,
    fileKey: row.file_key,
    fileName: row.file_name,
    fileSize: row.file_size,
    contentType: row.content_type,
    sha256: row.sha256,
    isActive: row.is_active === 1,
    embedding: row.embedding ? (JSON.parse(row.embedding) as FileRecord['embedding']) : null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    deletedAt: row.deleted_at ? new Date(row.deleted_at) : null,
  };
}

function toParams(r: FileRecord): (string | number | null)[] {
  return [
    r.fileId,
    r.userId,
    r.fileKey,
    r.fileName,
    r.fileSize,
    r.contentType,
    r.sha256 ?? null,
    r.isActive ? 1 : 0,
    r.embedding ? JSON.stringify(r.embedding) : null,
    r.createdAt.toISOString(),
    r.updatedAt.toISOString(),
    r.deletedAt ? r.deletedAt.toISOString() : null,
  ];
}

/** MetadataStore on the embedded database file: the default when MONGODB_URI is unset. */
export class LocalMetadataStore extends MetadataStore {
  readonly kind = 'local' as const;
  private readonly db: LocalDatabase;
  private readonly table: string;

  constructor(settings: LocalMetadataSettings) {
    super();
    this.db = new LocalDatabase(path.join(settings.dataDir, 'storesync.db'), 'mongodb');
    this.table = quoteIdent(`${settings.collection}`);
  }

  private prepare(sql: string): StatementSync {
    return this.db.connection.prepare(sql);
  }

  async init(): Promise<void> {
    const t = this.table;
    const index = (name: string) => quoteIdent(`${t.slice(1, -1)}_${name}`);
    this.db.run((db) =>
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${t} (
          file_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, file_key TEXT NOT NULL, file_name TEXT NOT NULL,
          file_size INTEGER NOT NULL, content_type TEXT NOT NULL, sha256 TEXT, is_active INTEGER NOT NULL,
          embedding TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT);
        CREATE INDEX IF NOT EXISTS ${index('file_key')} ON ${t} (file_key, file_id);
        CREATE INDEX IF NOT EXISTS ${index('user_key')} ON ${t} (user_id, file_key, file_id);
        CREATE INDEX IF NOT EXISTS ${index('updated')} ON ${t} (updated_at, file_id);`),
    );
  }

  async *streamFilePages(options: StreamFilesOptions = {}): AsyncIterable<FileRecord[]> {
    const batch = options.batchSize ?? 1000;
    const userClause = options.userId !== undefined ? 'user_id = ? AND' : '';
    const userParams = options.userId !== undefined ? [options.userId] : [];
    // Keyset pages: SQLite's BINARY collation compares UTF-8 bytes, the order S3 lists in.
    // The sentinel id sorts after every id, so the page starts strictly after afterKey.
    let after: [string, string] = options.afterKey !== undefined ? [options.afterKey, '\u{10FFFF}'] : ['', ''];
    for (;;) {
      const rows = this.db.run(() =>
        this.prepare(
          `SELECT ${COLUMNS} FROM ${this.table} WHERE ${userClause} (file_key > ? OR (file_key = ? AND file_id > ?))
           ORDER BY file_key, file_id LIMIT ?`,
        ).all(...userParams, after[0], after[0], after[1], batch),
      ) as unknown as FileRow[];
      if (rows.length > 0) yield rows.map(fromRow);
      if (rows.length < batch) return;
      const last = rows[rows.length - 1];
      after = [last.file_key, last.file_id];
    }
  }

  async getByFileId(fileId: string): Promise<FileRecord | null> {
    const row = this.db.run(() => this.prepare(`SELECT ${COLUMNS} FROM ${this.table} WHERE file_id = ?`).get(fileId));
    return row ? fromRow(row as unknown as FileRow) : null;
  }

  async getByKey(fileKey: string): Promise<FileRecord | null> {
    const row = this.db.run(() => this.prepare(`SELECT ${COLUMNS} FROM ${this.table} WHERE file_key = ? ORDER BY file_id LIMIT 1`).get(fileKey));
    return row ? fromRow(row as unknown as FileRow) : null;
  }

  async upsert(record: FileRecord): Promise<void> {
    try {
      this.db.run(() => this.prepare(`INSERT OR REPLACE INTO ${this.table} (${COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`).run(...toParams(record)));
    } catch (error) {
      if (/constraint/i.test((error as Error).message)) throw new ConflictError('mongodb', (error as Error).message);
      throw error;
    }
  }

  async update(fileId: string, patch: FileRecordPatch): Promise<boolean> {
    const current = await this.getByFileId(fileId);
    if (!current) return false;
    const next: FileRecord = { ...current, ...stripUndefined(patch), updatedAt: patch.updatedAt ?? new Date() };
    await this.upsert(next);
    return true;
  }

  async changedSince(since: Date, limit: number, cursor?: ChangedSinceCursor): Promise<FileRecord[]> {
    // ISO strings of one format order as the instants they name.
    const rows = cursor
      ? this.db.run(() =>
          this.prepare(
            `SELECT ${COLUMNS} FROM ${this.table} WHERE updated_at >= ? AND (updated_at > ? OR (updated_at = ? AND file_id > ?))
             ORDER BY updated_at, file_id LIMIT ?`,
          ).all(since.toISOString(), cursor.updatedAt.toISOString(), cursor.updatedAt.toISOString(), cursor.fileId, limit),
        )
      : this.db.run(() =>
          this.prepare(`SELECT ${COLUMNS} FROM ${this.table} WHERE updated_at >= ? ORDER BY updated_at, file_id LIMIT ?`).all(since.toISOString(), limit),
        );
    return (rows as unknown as FileRow[]).map(fromRow);
  }

  /** SQLite has no change stream: the change feed polls changedSince instead. */
  // eslint-disable-next-line require-yield
  async *watchChanges(): AsyncIterable<MetadataChange> {
    throw new ChangeStreamsUnsupportedError('the embedded metadata store has none');
  }

  markInactive(fileId: string, at: Date = new Date()): Promise<boolean> {
    return this.update(fileId, { isActive: false, updatedAt: at });
  }

  updateSize(fileId: string, fileSize: number): Promise<boolean> {
    return this.update(fileId, { fileSize });
  }

  async count(options: { userId?: string; estimate?: boolean } = {}): Promise<number> {
    const row = this.db.run(() =>
      options.userId !== undefined
        ? this.prepare(`SELECT COUNT(*) AS n FROM ${this.table} WHERE user_id = ?`).get(options.userId)
        : this.prepare(`SELECT COUNT(*) AS n FROM ${this.table}`).get(),
    ) as { n: number };
    return Number(row.n);
  }

  async countsByUser(page: { afterUserId?: string; limit?: number } = {}): Promise<UserFileCount[]> {
    const rows = this.db.run(() =>
      this.prepare(
        `SELECT user_id, COUNT(*) AS total, SUM(is_active) AS active FROM ${this.table} WHERE user_id > ? GROUP BY user_id ORDER BY user_id LIMIT ?`,
      ).all(page.afterUserId ?? '', page.limit ?? -1),
    ) as { user_id: string; total: number; active: number }[];
    return rows.map((r) => ({ userId: r.user_id, total: Number(r.total), active: Number(r.active) }));
  }

  /** The embedded store keeps storesync's own layout: records in the default field names. */
  async sampleDocuments(limit: number): Promise<Record<string, unknown>[]> {
    const docs: Record<string, unknown>[] = [];
    for await (const page of this.streamFilePages({ batchSize: limit })) {
      for (const r of page) {
        if (docs.length >= limit) break;
        docs.push({
          file_id: r.fileId,
          user_id: r.userId,
          file_key: r.fileKey,
          file_name: r.fileName,
          file_size: r.fileSize,
          content_type: r.contentType,
          sha256: r.sha256 ?? null,
          is_active: r.isActive,
          embedding: r.embedding ? { chunks: r.embedding.chunks, model: r.embedding.model, content_hash: r.embedding.contentHash } : null,
          created_at: r.createdAt,
          updated_at: r.updatedAt,
          deleted_at: r.deletedAt ?? null,
        });
      }
      if (docs.length >= limit) break;
    }
    return docs;
  }

  async ping(): Promise<void> {
    this.db.run((db) => db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
