import mongoose, { Connection } from 'mongoose';
import { StateCollection, StateDocument, StateFilter, StateFindOptions, StateStore } from '../ports';
import { deadlineSignal } from '../deadline/deadline';
import { guardMongo, mapMongoError } from './mongo-errors';

type Raw = Record<string, unknown>;

const BULK_CHUNK = 50;
/** Documents per insert command: inserts run no per-document query, so FerretDB's limit on bulk statements does not apply. */
const INSERT_CHUNK = 500;

function toMongoFilter(filter: StateFilter): Raw {
  const out: Raw = {};
  for (const [field, condition] of Object.entries(filter)) {
    out[field === 'id' ? '_id' : field] = condition;
  }
  return out;
}

function fromRaw<T extends StateDocument>(raw: Raw): T {
  const { _id, ...rest } = raw;
  return { id: String(_id), ...rest } as T;
}

function toRaw(doc: StateDocument): Raw {
  const { id, ...rest } = doc;
  return { _id: id, ...rest };
}

type BulkWriteError = InstanceType<typeof mongoose.mongo.MongoBulkWriteError>;

/** The chunk positions refused as duplicate keys; null when anything else failed. */
function duplicateIndexes(error: BulkWriteError): Set<number> | null {
  const errors: { code: number; index: number }[] = [error.writeErrors].flat();
  if (errors.length === 0 || error.writeConcernError || !errors.every((e) => e.code === 11000)) return null;
  return new Set(errors.map((e) => e.index));
}

class MongoStateCollection<T extends StateDocument> extends StateCollection<T> {
  private indexed?: Promise<void>;

  constructor(
    private readonly connection: () => Promise<Connection>,
    private readonly name: string,
    private readonly indexes: string[][],
  ) {
    super();
  }

  private async raw() {
    const connection = await this.connection();
    const collection = connection.collection(this.name);
    this.indexed ??= Promise.all(this.indexes.map((fields) => collection.createIndex(Object.fromEntries(fields.map((f) => [f, 1]))))).then(
      () => undefined,
      (error) => {
        this.indexed = undefined;
        throw error;
      },
    );
    await this.indexed;
    return collection;
  }

  async get(id: string): Promise<T | null> {
    return guardMongo(async () => {
      const raw = await (await this.raw()).findOne({ _id: id } as Raw, { signal: deadlineSignal() });
      return raw ? fromRaw<T>(raw) : null;
    });
  }

  async insert(doc: T): Promise<void> {
    await guardMongo(async () => (await this.raw()).insertOne(toRaw(doc) as never));
  }

  async insertMany(docs: T[]): Promise<void> {
    for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
      const chunk = docs.slice(i, i + INSERT_CHUNK).map((doc) => toRaw(doc));
      await guardMongo(async () => (await this.raw()).insertMany(chunk as never[], { ordered: false }));
    }
  }

  async insertNew(docs: T[]): Promise<string[]> {
    const inserted: string[] = [];
    for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
      const chunk = docs.slice(i, i + INSERT_CHUNK);
      const duplicates = await guardMongo(async () => {
        const collection = await this.raw();
        try {
          await collection.insertMany(
            chunk.map((doc) => toRaw(doc)),
            { ordered: false },
          );
          return new Set<number>();
        } catch (error) {
          // Unordered: every document without a duplicate key went in; those with one were there already.
          const skipped = error instanceof mongoose.mongo.MongoBulkWriteError ? duplicateIndexes(error) : null;
          if (skipped) return skipped;
          throw error;
        }
      });
      chunk.forEach((doc, index) => {
        if (!duplicates.has(index)) inserted.push(doc.id);
      });
    }
    return inserted;
  }

  async upsertMany(docs: T[]): Promise<void> {
    // Small bulk writes: FerretDB v1 (SQLite) holds one pooled connection per statement
    // of a command, and a bulkWrite of ~100 statements or more never answers.
    for (let i = 0; i < docs.length; i += BULK_CHUNK) {
      const chunk = docs.slice(i, i + BULK_CHUNK);
      await guardMongo(async () =>
        (await this.raw()).bulkWrite(
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the driver types _id as an ObjectId; ours are strings
          chunk.map((doc) => ({ replaceOne: { filter: { _id: doc.id } as Raw, replacement: toRaw(doc), upsert: true } })),
          { ordered: false },
        ),
      );
    }
  }

  async update(id: string, fields: Partial<T>): Promise<boolean> {
    return (await this.updateMany({ id }, fields)) > 0;
  }

  async updateMany(filter: StateFilter, fields: Partial<T>): Promise<number> {
    const { id: _ignored, ...set } = fields as Raw;
    return guardMongo(async () => {
      const result = await (await this.raw()).updateMany(toMongoFilter(filter), { $set: set });
      return result.matchedCount;
    });
  }

  async find(filter: StateFilter, options: StateFindOptions = {}): Promise<T[]> {
    const sortField = !options.sortBy || options.sortBy === 'id' ? '_id' : options.sortBy;
    const dir = options.order === 'desc' ? -1 : 1;
    let query = toMongoFilter(filter);
    if (options.after) {
      const op = dir === -1 ? '$lt' : '$gt';
      const { value, id } = options.after;
      const keyset = sortField === '_id' ? { _id: { [op]: id } } : { $or: [{ [sortField]: { [op]: value } }, { [sortField]: value, _id: { [op]: id } }] };
      query = { $and: [query, keyset] };
    }
    return guardMongo(async () => {
      let cursor = (await this.raw()).find(query, { signal: deadlineSignal() }).sort(sortField === '_id' ? { _id: dir } : { [sortField]: dir, _id: dir });
      if (options.limit) cursor = cursor.limit(options.limit);
      return (await cursor.toArray()).map((raw) => fromRaw<T>(raw as Raw));
    });
  }

  // One cursor: a keyset page per round trip would make servers without indexes
  // (FerretDB v1) sort the whole collection for every page.
  override async *stream(filter: StateFilter, pageSize = 1000): AsyncIterable<T> {
    const cursor = (await guardMongo(() => this.raw())).find(toMongoFilter(filter), { signal: deadlineSignal() }).batchSize(pageSize);
    try {
      for await (const raw of cursor) yield fromRaw<T>(raw);
    } catch (error) {
      throw mapMongoError(error);
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  async count(filter: StateFilter): Promise<number> {
    return guardMongo(async () => (await this.raw()).countDocuments(toMongoFilter(filter), { signal: deadlineSignal() }));
  }

  async deleteMany(filter: StateFilter): Promise<number> {
    return guardMongo(async () => (await (await this.raw()).deleteMany(toMongoFilter(filter))).deletedCount);
  }
}

/** StateStore on MongoDB, with its own connection (the metadata adapter's stays its own). */
export class MongoStateStore extends StateStore {
  private connecting?: Promise<Connection>;
  private readonly collections = new Map<string, StateCollection<StateDocument>>();

  constructor(private readonly settings: { uri: string; timeoutMs: number; socketTimeoutMs?: number }) {
    super();
  }

  private connection = (): Promise<Connection> => {
    this.connecting ??= mongoose
      .createConnection(this.settings.uri, {
        serverSelectionTimeoutMS: this.settings.timeoutMs,
        connectTimeoutMS: this.settings.timeoutMs,
        // A socket that stays silent this long is dropped (a hung server); the calls
        // themselves are cut sooner by the deadline wrapper.
        socketTimeoutMS: this.settings.socketTimeoutMs ?? 0,
        bufferCommands: false,
      })
      .asPromise()
      .catch((error) => {
        this.connecting = undefined;
        throw mapMongoError(error);
      });
    return this.connecting;
  };

  collection<T extends StateDocument>(name: string, indexes: string[][] = []): StateCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new MongoStateCollection<StateDocument>(this.connection, name, indexes);
      this.collections.set(name, collection);
    }
    return collection as unknown as StateCollection<T>;
  }

  async ping(): Promise<void> {
    const connection = await this.connection();
    await guardMongo(async () => {
      if (!connection.db) throw new Error('not connected');
      await connection.db.command({ ping: 1 });
    });
  }

  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    if (connecting) await (await connecting.catch(() => null))?.close();
  }
}
