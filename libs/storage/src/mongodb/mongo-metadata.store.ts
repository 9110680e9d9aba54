import { Logger } from '@nestjs/common';
import mongoose, { Connection, Model, Schema } from 'mongoose';
import type { FileRecord, FileRecordPatch, UserFileCount } from '@storesync/core';
import { ChangedSinceCursor, ChangeStreamsUnsupportedError, MetadataChange, MetadataStore, ResumeTokenLostError, StreamFilesOptions } from '../ports';
import { fromDocument, patchDocument, toDocument } from './file-document.mapper';
import { FileFields, resolveFileFields } from './file-fields';
import { guardMongo, mapMongoError } from './mongo-errors';

export interface MongoMetadataSettings {
  uri: string;
  filesCollection: string;
  fieldMap?: Record<string, string>;
  timeoutMs: number;
}

type FileDoc = Record<string, unknown>;

/** MetadataStore on MongoDB (or any wire-compatible server) through mongoose. */
export class MongoMetadataStore extends MetadataStore {
  readonly kind = 'mongodb' as const;
  private readonly logger = new Logger(MongoMetadataStore.name);
  private readonly fields: FileFields;
  private connection?: Connection;
  private model?: Promise<Model<FileDoc>>;

  constructor(private readonly settings: MongoMetadataSettings) {
    super();
    this.fields = resolveFileFields(settings.fieldMap);
  }

  /** The connected model; a failed connect is forgotten so the next call tries again. */
  private files(): Promise<Model<FileDoc>> {
    this.model ??= this.connect().catch((error) => {
      this.model = undefined;
      throw mapMongoError(error);
    });
    return this.model;
  }

  private async connect(): Promise<Model<FileDoc>> {
    const { timeoutMs } = this.settings;
    const connection = mongoose.createConnection(this.settings.uri, {
      serverSelectionTimeoutMS: timeoutMs,
      connectTimeoutMS: timeoutMs,
      socketTimeoutMS: timeoutMs * 6,
      // Without this mongoose queues commands while disconnected: an outage would hang, not fail.
      bufferCommands: false,
      autoIndex: false,
    });
    connection.on('error', (error) => this.logger.warn({ message: 'mongodb connection error', error: String(error) }));
    await connection.asPromise();
    this.connection = connection;
    const f = this.fields;
    const schema = new Schema<FileDoc>(
      {
        [f.fileId]: { type: String, required: true },
        [f.userId]: { type: String, required: true },
        [f.fileKey]: { type: String, required: true },
      },
      { collection: this.settings.filesCollection, versionKey: false, strict: false, autoIndex: false },
    );
    schema.index({ [f.fileId]: 1 }, { unique: true, name: 'file_id_unique' });
    schema.index({ [f.fileKey]: 1 }, { name: 'file_key' });
    schema.index({ [f.userId]: 1, [f.fileKey]: 1 }, { name: 'user_id_file_key' });
    // The change feed's polling reads a recent window by updated_at.
    schema.index({ [f.updatedAt]: 1, [f.fileId]: 1 }, { name: 'updated_at_file_id' });
    return connection.model<FileDoc>('File', schema);
  }

  async init(): Promise<void> {
    const model = await this.files();
    await guardMongo(() => model.createIndexes());
  }

  async *streamFilePages(options: StreamFilesOptions = {}): AsyncIterable<FileRecord[]> {
    const model = await this.files();
    const f = this.fields;
    const filter: FileDoc = options.userId ? { [f.userId]: options.userId } : {};
    if (options.afterKey !== undefined) filter[f.fileKey] = { $gt: options.afterKey };
    // The driver's cursor, not mongoose's: it hands over each batch the server sent in one
    // call, where mongoose's cursor wraps every document in promises and hooks.
    const cursor = model.collection.find(filter, {
      projection: this.recordProjection(),
      sort: { [f.fileKey]: 1, [f.fileId]: 1 },
      batchSize: options.batchSize ?? 1000,
    });
    try {
      while (await cursor.hasNext()) {
        yield cursor.readBufferedDocuments().map((doc) => fromDocument(doc, f));
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
    const fields = Object.values(this.fields);
    return { ...(fields.includes('_id') ? {} : { _id: 0 }), ...Object.fromEntries(fields.map((name) => [name, 1 as const])) };
  }

  async getByFileId(fileId: string): Promise<FileRecord | null> {
    return this.findOne({ [this.fields.fileId]: fileId });
  }

  async getByKey(fileKey: string): Promise<FileRecord | null> {
    return this.findOne({ [this.fields.fileKey]: fileKey });
  }

  private async findOne(filter: FileDoc): Promise<FileRecord | null> {
    const model = await this.files();
    const doc = await guardMongo(() => model.findOne(filter).lean().exec());
    return doc ? fromDocument(doc as FileDoc, this.fields) : null;
  }

  async upsert(record: FileRecord): Promise<void> {
    const model = await this.files();
    await guardMongo(() =>
      model.replaceOne({ [this.fields.fileId]: record.fileId }, toDocument(record, this.fields), { upsert: true }).exec(),
    );
  }

  async update(fileId: string, patch: FileRecordPatch): Promise<boolean> {
    const model = await this.files();
    const result = await guardMongo(() =>
      model.updateOne({ [this.fields.fileId]: fileId }, { $set: patchDocument(patch, this.fields) }).exec(),
    );
    return result.matchedCount > 0;
  }

  markInactive(fileId: string, at: Date = new Date()): Promise<boolean> {
    return this.update(fileId, { isActive: false, updatedAt: at });
  }

  updateSize(fileId: string, fileSize: number): Promise<boolean> {
    return this.update(fileId, { fileSize });
  }

  async count(options: { userId?: string; estimate?: boolean } = {}): Promise<number> {
    const model = await this.files();
    if (options.estimate && !options.userId) return guardMongo(() => this.statsCount(model));
    const filter = options.userId ? { [this.fields.userId]: options.userId } : {};
    return guardMongo(() => model.countDocuments(filter).exec());
  }

  /**
   * The collection's document count from its statistics. Not estimatedDocumentCount:
   * FerretDB v1 answers the `count` command by decoding every document, which at a
   * million records competes with the scan it only estimates progress for.
   */
  private async statsCount(model: Model<FileDoc>): Promise<number> {
    try {
      // One row per shard on a sharded cluster.
      const rows = await model.aggregate<{ count?: number }>([{ $collStats: { count: {} } }]).exec();
      return rows.reduce((sum, row) => sum + Number(row.count ?? 0), 0);
    } catch (error) {
      // The server answered but refused the stage (no $collStats, no privilege): the
      // standard estimate. Anything else (network, timeout) is an outage, reported as one.
      if ((error as Error).name !== 'MongoServerError') throw error;
      return model.estimatedDocumentCount().exec();
    }
  }

  async countsByUser(): Promise<UserFileCount[]> {
    const model = await this.files();
    const f = this.fields;
    // Two plain $group stages rather than $cond: FerretDB v1 supports these everywhere.
    const group = [{ $group: { _id: `$${f.userId}`, n: { $sum: 1 } } }];
    const [totals, active] = await guardMongo(() =>
      Promise.all([
        model.aggregate<{ _id: string; n: number }>(group).exec(),
        model.aggregate<{ _id: string; n: number }>([{ $match: { [f.isActive]: { $ne: false } } }, ...group]).exec(),
      ]),
    );
    const activeByUser = new Map(active.map((row) => [String(row._id), row.n]));
    return totals
      .map((row) => ({ userId: String(row._id), total: row.n, active: activeByUser.get(String(row._id)) ?? 0 }))
      .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }

  async changedSince(since: Date, limit: number, cursor?: ChangedSinceCursor): Promise<FileRecord[]> {
    const model = await this.files();
    const f = this.fields;
    const filter: FileDoc = { [f.updatedAt]: { $gte: since } };
    if (cursor) {
      filter.$or = [{ [f.updatedAt]: { $gt: cursor.updatedAt } }, { [f.updatedAt]: cursor.updatedAt, [f.fileId]: { $gt: cursor.fileId } }];
    }
    const docs = await guardMongo(() =>
      model.collection.find(filter, { projection: this.recordProjection(), sort: { [f.updatedAt]: 1, [f.fileId]: 1 }, limit }).toArray(),
    );
    return docs.map((doc) => fromDocument(doc, f));
  }

  /**
   * The collection's change stream. Updates come with the document looked up (for its
   * file id); a delete carries only `_id`, which is the file id only when the field map says so.
   */
  override async *watchChanges(options: { resumeAfter?: unknown; signal?: AbortSignal } = {}): AsyncIterable<MetadataChange> {
    const model = await this.files();
    const f = this.fields;
    const stream = model.collection.watch([], {
      fullDocument: 'updateLookup',
      ...(options.resumeAfter ? { resumeAfter: options.resumeAfter as Record<string, unknown> } : {}),
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
        const documentId = event.documentKey?._id === undefined ? null : String(event.documentKey._id);
        const fromDoc = event.fullDocument?.[f.fileId];
        const operation = (['insert', 'update', 'replace', 'delete'].includes(event.operationType) ? event.operationType : 'invalidate') as MetadataChange['operation'];
        if (operation === 'invalidate' && !['invalidate', 'drop', 'rename', 'dropDatabase'].includes(event.operationType)) continue;
        yield {
          operation,
          fileId: fromDoc !== undefined && fromDoc !== null ? String(fromDoc) : f.fileId === '_id' ? documentId : null,
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
    this.model = Promise.reject(mapMongoError(new Error('metadata store closed')));
    this.model.catch(() => undefined);
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
