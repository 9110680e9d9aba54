import { StateCollection, StateDocument, StateFilter, StateFindOptions, StateStore } from '@storesync/storage';

/**
 * Workaround for a deadlock of FerretDB v1 (SQLite backend), applied by the bench only
 * (`--no-workarounds` turns it off): an update command with ~100 statements keeps each
 * statement's query open on a pooled SQLite connection (pool: 100) until the command
 * ends, so `MongoStateCollection.upsertMany` with ≥100 documents (one bulkWrite) never
 * answers. A full scan's last batch holds every orphan-vector issue (1% of N), so any
 * N ≥ 10,000 here hangs the analysis. This sends the same replaceOne upserts in chunks.
 * The product fix is proposed in BENCHMARKS.md ("Findings").
 */
export const STATE_WRITE_CHUNK = 50;

class ChunkedStateCollection<T extends StateDocument> extends StateCollection<T> {
  constructor(private readonly inner: StateCollection<T>) {
    super();
  }

  get(id: string): Promise<T | null> {
    return this.inner.get(id);
  }

  insert(doc: T): Promise<void> {
    return this.inner.insert(doc);
  }

  insertMany(docs: T[]): Promise<void> {
    return this.inner.insertMany(docs);
  }

  async upsertMany(docs: T[]): Promise<void> {
    for (let i = 0; i < docs.length; i += STATE_WRITE_CHUNK) await this.inner.upsertMany(docs.slice(i, i + STATE_WRITE_CHUNK));
  }

  update(id: string, fields: Partial<T>): Promise<boolean> {
    return this.inner.update(id, fields);
  }

  updateMany(filter: StateFilter, fields: Partial<T>): Promise<number> {
    return this.inner.updateMany(filter, fields);
  }

  find(filter: StateFilter, options?: StateFindOptions): Promise<T[]> {
    return this.inner.find(filter, options);
  }

  count(filter: StateFilter): Promise<number> {
    return this.inner.count(filter);
  }

  deleteMany(filter: StateFilter): Promise<number> {
    return this.inner.deleteMany(filter);
  }
}

export class ChunkedStateStore extends StateStore {
  private readonly collections = new Map<string, StateCollection<StateDocument>>();

  constructor(private readonly inner: StateStore) {
    super();
  }

  collection<T extends StateDocument>(name: string, indexes?: string[][]): StateCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new ChunkedStateCollection(this.inner.collection<StateDocument>(name, indexes));
      this.collections.set(name, collection);
    }
    return collection as unknown as StateCollection<T>;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
