import { Logger } from '@nestjs/common';
import mongoose, { Connection, Model, Schema } from 'mongoose';
import type { FileRecord, FileRecordPatch, UserFileCount } from '@storesync/core';
import { MetadataStore, StreamFilesOptions } from '../ports';
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
