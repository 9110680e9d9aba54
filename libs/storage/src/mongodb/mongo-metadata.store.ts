import { Logger } from '@nestjs/common';
import mongoose, { Connection, mongo } from 'mongoose';
import { defaultDataModel } from '@storesync/config';
import type { FileRecord, FileRecordPatch, UserFileCount } from '@storesync/core';
import { getPath } from '../field-path';
import {
  BulkUpdateResult,
  ChangedSinceCursor,
  ChangeStreamsUnsupportedError,
  MetadataChange,
  MetadataStore,
  ResumeTokenLostError,
  StreamFilesOptions,
} from '../ports';
import { fromDocument, idText, mappedPaths, MetadataMapping, patchDocument, toDocument } from './file-document.mapper';
import { deadlineSignal } from '../deadline/deadline';
import { guardMongo, mapMongoError, refusedWrite } from './mongo-errors';

export interface MongoMetadataSettings {
  uri: string;
  filesCollection: string;
  /** Where the deployment keeps each field; storesync's own layout when absent. */
  mapping?: MetadataMapping;
  timeoutMs: number;
}

type FileDoc = Record<string, unknown>;
type Files = mongo.Collection<FileDoc>;

const OBJECT_ID = /^[0-9a-f]{24}$/i;
/** File ids per `$in` query of a bulk lookup (FerretDB v1 binds each as an SQL variable). */
const ID_BATCH = 500;
/** Updates per bulkWrite: FerretDB v1 holds a pooled connection per statement until the command ends (F1). */
const UPDATE_BATCH = 50;

/**
 * MetadataStore on MongoDB (or any wire-compatible server), through the driver's
 * collection: the deployment's documents are read as they are (dotted paths, ObjectId
 * ids), never cast by a schema.
 */
export class MongoMetadataStore extends MetadataStore {
  readonly kind = 'mongodb' as const;
  private readonly logger = new Logger(MongoMetadataStore.name);
  private readonly mapping: MetadataMapping;
  private readonly paths: { fileId: string; userId: string; fileKey: string };
  private connection?: Connection;
  private collection?: Promise<Files>;

  constructor(private readonly settings: MongoMetadataSettings) {
    super();
    this.mapping = settings.mapping ?? defaultDataModel().metadata;
    const f = this.mapping.fields;
    // Required by the config's validation; the defaults hold them too.
    this.paths = { fileId: f.file_id!, userId: f.user_id!, fileKey: f.file_key! };
  }

  /** The connected collection; a failed connect is forgotten so the next call tries again. */
  private files(): Promise<Files> {
    this.collection ??= this.connect().catch((error) => {
      this.collection = undefined;
      throw mapMongoError(error);
    });
    return this.collection;
  }

  private async connect(): Promise<Files> {
    const { timeoutMs } = this.settings;
    const connection = mongoose.createConnection(this.settings.uri, {
      serverSelectionTimeoutMS: timeoutMs,
      connectTimeoutMS: timeoutMs,
      // Six deadlines, as the ceiling of a slow query in DeadlineMetadataStore: a silent socket is cut then.
      socketTimeoutMS: timeoutMs * 6,
      // Without this mongoose queues commands while disconnected: an outage would hang, not fail.
      bufferCommands: false,
      autoIndex: false,
    });
    connection.on('error', (error) => this.logger.warn({ message: 'mongodb connection error', error: String(error) }));
    await connection.asPromise();
    this.connection = connection;
    if (!connection.db) throw new Error('not connected');
    return connection.db.collection<FileDoc>(this.settings.filesCollection);
  }

  /**
   * The indexes a scan and the lookups need. On storesync's own layout file_id is unique;
   * on a deployment's collection the indexes are plain (its data may not satisfy a
   * uniqueness storesync did not write), and `_id` needs none.
   */
  async init(): Promise<void> {
    const files = await this.files();
    const { fileId, userId, fileKey } = this.paths;
    const own = fileId === 'file_id' && fileKey === 'file_key';
    await guardMongo(async () => {
      if (fileId !== '_id') await files.createIndex({ [fileId]: 1 }, own ? { unique: true, name: 'file_id_unique' } : { name: 'storesync_file_id' });
      await files.createIndex({ [fileKey]: 1 }, { name: own ? 'file_key' : 'storesync_file_key' });
      await files.createIndex({ [userId]: 1, [fileKey]: 1 }, { name: own ? 'user_id_file_key' : 'storesync_user_id_file_key' });
      // The change feed's polling reads a recent window by updated_at.
      const updatedAt = this.mapping.fields.updated_at;
      if (updatedAt !== null) await files.createIndex({ [updatedAt]: 1, [fileId]: 1 }, { name: own ? 'updated_at_file_id' : 'storesync_updated_at_file_id' });
    });
  }

  async *streamFilePages(options: StreamFilesOptions = {}): AsyncIterable<FileRecord[]> {
    const files = await this.files();
    const { userId, fileKey, fileId } = this.paths;
    const filter: FileDoc = options.userId ? { [userId]: options.userId } : {};
    if (options.afterKey !== undefined) filter[fileKey] = { $gt: options.afterKey };
    // The driver's cursor: it hands over each batch the server sent in one call.
    const cursor = files.find(filter, {
      projection: this.recordProjection(),
      sort: { [fileKey]: 1, [fileId]: 1 },
      batchSize: options.batchSize ?? 1000,
      // The first page's deadline: a hung or too slow server closes the cursor at once.
      signal: deadlineSignal(),
    });
    try {
      while (await cursor.hasNext()) {
        yield cursor.readBufferedDocuments().map((doc) => fromDocument(doc, this.mapping));
      }
    } catch (error) {
      throw mapMongoError(error);
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  /**
   * Only the fields a FileRecord is made of: an application's documents may carry far
   * more (extracted text, tags), which a scan of a million records should not decode.
   */
  private recordProjection(): Record<string, 0 | 1> {
    const paths = mappedPaths(this.mapping);
    const withId = paths.some((p) => p === '_id' || p.startsWith('_id.'));
    return { ...(withId ? {} : { _id: 0 }), ...Object.fromEntries(paths.map((name) => [name, 1 as const])) };
  }

  /** A file id as the deployment may store it: the string, or the ObjectId it spells. */
  private byFileId(fileId: string): FileDoc {
    const path = this.paths.fileId;
    return OBJECT_ID.test(fileId) ? { [path]: { $in: [fileId, new mongo.ObjectId(fileId)] } } : { [path]: fileId };
  }

  async getByFileId(fileId: string): Promise<FileRecord | null> {
    return this.findOne(this.byFileId(fileId));
  }

  async getByKey(fileKey: string): Promise<FileRecord | null> {
    return this.findOne({ [this.paths.fileKey]: fileKey });
  }

  override async getByFileIds(fileIds: string[]): Promise<Map<string, FileRecord>> {
    const found = new Map<string, FileRecord>();
    const wanted = new Set(fileIds);
    const files = await this.files();
    for (let i = 0; i < fileIds.length; i += ID_BATCH) {
      const ids = fileIds.slice(i, i + ID_BATCH).flatMap((id) => (OBJECT_ID.test(id) ? [id, new mongo.ObjectId(id)] : [id]));
      const docs = await guardMongo(() => files.find({ [this.paths.fileId]: { $in: ids } }, { projection: this.recordProjection() }).toArray());
      for (const doc of docs) {
        const record = fromDocument(doc, this.mapping);
        if (wanted.has(record.fileId)) found.set(record.fileId, record);
      }
    }
    return found;
  }

  private async findOne(filter: FileDoc): Promise<FileRecord | null> {
    const files = await this.files();
    const doc = await guardMongo(() => files.findOne(filter, { projection: this.recordProjection() }));
    return doc ? fromDocument(doc, this.mapping) : null;
  }

  async upsert(record: FileRecord): Promise<void> {
    const files = await this.files();
    await guardMongo(() => files.replaceOne(this.byFileId(record.fileId), toDocument(record, this.mapping), { upsert: true }));
  }

  async update(fileId: string, patch: FileRecordPatch): Promise<boolean> {
    const files = await this.files();
    const result = await guardMongo(() => files.updateOne(this.byFileId(fileId), patchDocument(patch, this.mapping)));
    return result.matchedCount > 0;
  }

  override async updateMany(updates: { fileId: string; patch: FileRecordPatch }[]): Promise<BulkUpdateResult> {
    const files = await this.files();
    const result: BulkUpdateResult = { matched: 0, refused: new Map() };
    for (let i = 0; i < updates.length; i += UPDATE_BATCH) {
      const chunk = updates.slice(i, i + UPDATE_BATCH);
      const operations = chunk.map(({ fileId, patch }) => ({ updateOne: { filter: this.byFileId(fileId), update: patchDocument(patch, this.mapping) } }));
      try {
        result.matched += (await files.bulkWrite(operations, { ordered: false })).matchedCount;
      } catch (error) {
        if (!onlyRefusals(error)) throw mapMongoError(error);
        // Which documents were refused and which written, FerretDB v1 does not say reliably
        // (every refusal at index 0, nothing matched): this batch again, one document at a time.
        const again = await super.updateMany(chunk);
        result.matched += again.matched;
        for (const [fileId, refusal] of again.refused) result.refused.set(fileId, refusal);
      }
    }
    return result;
  }

  markInactive(fileId: string, at: Date = new Date()): Promise<boolean> {
    return this.update(fileId, { isActive: false, updatedAt: at });
  }

  updateSize(fileId: string, fileSize: number): Promise<boolean> {
    return this.update(fileId, { fileSize });
  }

  async count(options: { userId?: string; estimate?: boolean } = {}): Promise<number> {
    const files = await this.files();
    if (options.estimate && !options.userId) return guardMongo(() => this.statsCount(files));
    const filter = options.userId ? { [this.paths.userId]: options.userId } : {};
    return guardMongo(() => files.countDocuments(filter));
  }

  /**
   * The collection's document count from its statistics. Not estimatedDocumentCount:
   * FerretDB v1 answers the `count` command by decoding every document, which at a
   * million records competes with the scan it only estimates progress for.
   */
  private async statsCount(files: Files): Promise<number> {
    try {
      // One row per shard on a sharded cluster.
      const rows = await files.aggregate<{ count?: number }>([{ $collStats: { count: {} } }]).toArray();
      return rows.reduce((sum, row) => sum + Number(row.count ?? 0), 0);
    } catch (error) {
      // The server answered but refused the stage (no $collStats, no privilege): the
      // standard estimate. Anything else (network, timeout) is an outage, reported as one.
      if ((error as Error).name !== 'MongoServerError') throw error;
      return files.estimatedDocumentCount();
    }
  }

  async countsByUser(page: { afterUserId?: string; limit?: number } = {}): Promise<UserFileCount[]> {
    const files = await this.files();
    const userPath = this.paths.userId;
    // Two plain $group stages rather than $cond: FerretDB v1 supports these everywhere.
    const after = page.afterUserId !== undefined ? [{ $match: { [userPath]: { $gt: page.afterUserId } } }] : [];
    const window = [{ $sort: { _id: 1 as const } }, ...(page.limit !== undefined ? [{ $limit: page.limit }] : [])];
    const totals = await guardMongo(() =>
      files.aggregate<{ _id: string; n: number }>([...after, { $group: { _id: `$${userPath}`, n: { $sum: 1 } } }, ...window]).toArray(),
    );
    if (totals.length === 0) return [];
    // Active counts for the users of this page only.
    const ids = totals.map((row) => row._id);
    const active = await guardMongo(() =>
      files
        .aggregate<{ _id: string; n: number }>([
          { $match: { $and: [this.activeFilter(), { [userPath]: { $in: ids } }] } },
          { $group: { _id: `$${userPath}`, n: { $sum: 1 } } },
        ])
        .toArray(),
    );
    const activeByUser = new Map(active.map((row) => [String(row._id), row.n]));
    return totals
      .map((row) => ({ userId: String(row._id), total: row.n, active: activeByUser.get(String(row._id)) ?? 0 }))
      .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }

  async sampleDocuments(limit: number): Promise<Record<string, unknown>[]> {
    const files = await this.files();
    const docs = await guardMongo(() => files.find({}, { limit }).toArray());
    return docs.map((doc) => plain(doc) as Record<string, unknown>);
  }

  /** The documents the active rule calls active. */
  private activeFilter(): FileDoc {
    const rule = this.mapping.active;
    if (rule.kind === 'flag') return { [rule.field]: { $ne: false } };
    if (rule.kind === 'equals') return { [rule.field]: rule.value };
    return { [rule.field]: null };
  }

  /**
   * Needs the mapped updated_at (a deployment that stores none cannot be polled: nothing
   * is reported changed, and the scheduled analysis still finds everything).
   */
  async changedSince(since: Date, limit: number, cursor?: ChangedSinceCursor): Promise<FileRecord[]> {
    const files = await this.files();
    const updatedAt = this.mapping.fields.updated_at;
    if (updatedAt === null) return [];
    const fileId = this.paths.fileId;
    const filter: FileDoc = { [updatedAt]: { $gte: since } };
    if (cursor) {
      filter.$or = [{ [updatedAt]: { $gt: cursor.updatedAt } }, { [updatedAt]: cursor.updatedAt, [fileId]: { $gt: cursor.fileId } }];
    }
    const docs = await guardMongo(() => files.find(filter, { projection: this.recordProjection(), sort: { [updatedAt]: 1, [fileId]: 1 }, limit }).toArray());
    return docs.map((doc) => fromDocument(doc, this.mapping));
  }

  /**
   * The collection's change stream. Updates come with the document looked up (for its
   * file id); a delete carries only `_id`, which is the file id only when the mapping says so.
   */
  async *watchChanges(options: { resumeAfter?: unknown; signal?: AbortSignal } = {}): AsyncIterable<MetadataChange> {
    const files = await this.files();
    const fileIdPath = this.paths.fileId;
    const stream = files.watch([], {
      fullDocument: 'updateLookup',
      ...(options.resumeAfter ? { resumeAfter: options.resumeAfter } : {}),
    });
    const abort = () => void stream.close().catch(() => undefined);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      // The first round trip opens the stream: a server without change streams refuses it here.
      const first = await stream.tryNext();
      yield { operation: 'ready', fileId: null, documentId: null, at: null, resumeToken: stream.resumeToken };
      const changes = first ? prepend(first, stream) : stream;
      for await (const change of changes) {
        const event = change as unknown as {
          operationType: string;
          _id: unknown;
          documentKey?: { _id?: unknown };
          fullDocument?: FileDoc | null;
          clusterTime?: { getHighBits(): number };
        };
        const documentId = event.documentKey?._id === undefined ? null : idText(event.documentKey._id);
        const fromDoc = event.fullDocument ? getPath(event.fullDocument, fileIdPath) : undefined;
        const operation = (
          ['insert', 'update', 'replace', 'delete'].includes(event.operationType) ? event.operationType : 'invalidate'
        ) as MetadataChange['operation'];
        if (operation === 'invalidate' && !['invalidate', 'drop', 'rename', 'dropDatabase'].includes(event.operationType)) continue;
        yield {
          operation,
          fileId: fromDoc !== undefined && fromDoc !== null ? idText(fromDoc) : fileIdPath === '_id' ? documentId : null,
          documentId,
          at: event.clusterTime ? new Date(event.clusterTime.getHighBits() * 1000) : null,
          resumeToken: event._id,
        };
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      throw classifyChangeStreamError(error);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      await stream.close().catch(() => undefined);
    }
  }

  async ping(): Promise<void> {
    await this.files();
    await guardMongo(async () => {
      const db = this.connection?.db;
      if (!db) throw new Error('not connected');
      await db.command({ ping: 1 });
    });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.collection = Promise.reject(mapMongoError(new Error('metadata store closed')));
    this.collection.catch(() => undefined);
    await connection?.close();
  }
}

/** Server error codes meaning "no change streams here" (not a replica set, an unknown stage or command). */
const UNSUPPORTED_CODES = new Set([40573, 40324, 238, 115, 59, 20]);
/** The token is older than the oplog, or the stream cannot resume from it. */
const TOKEN_LOST_CODES = new Set([286, 280, 260]);

function classifyChangeStreamError(error: unknown): Error {
  const e = error as { name?: string; code?: number; message?: string };
  if (e?.name === 'MongoServerError' || e?.name === 'MongoError') {
    if (e.code !== undefined && TOKEN_LOST_CODES.has(e.code)) return new ResumeTokenLostError(e.message ?? String(e.code));
    if ((e.code !== undefined && UNSUPPORTED_CODES.has(e.code)) || /changeStream|replica set|not (supported|implemented)/i.test(e.message ?? '')) {
      return new ChangeStreamsUnsupportedError(e.message ?? String(e.code));
    }
  }
  return mapMongoError(error);
}

async function* prepend<T>(first: T, rest: AsyncIterable<T>): AsyncIterable<T> {
  yield first;
  yield* rest;
}

/** A driver document as plain data: ObjectIds as hex strings, Dates kept, BSON numbers as numbers. */
function plain(value: unknown): unknown {
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plain);
  const bson = (value as { _bsontype?: string })._bsontype;
  if (bson === 'ObjectId') return (value as { toHexString(): string }).toHexString();
  if (bson) {
    const text = (value as { toString(): string }).toString();
    return bson === 'Long' || bson === 'Int32' || bson === 'Double' ? Number(text) : text;
  }
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
}

/** A bulk write the server answered, refusing some documents for what they hold (and nothing else). */
function onlyRefusals(error: unknown): boolean {
  if (!(error instanceof mongo.MongoBulkWriteError) || error.writeConcernError) return false;
  const writeErrors = [error.writeErrors].flat();
  return writeErrors.length > 0 && writeErrors.every((writeError) => writeError.code === 11000 || refusedWrite(writeError.code) !== null);
}
