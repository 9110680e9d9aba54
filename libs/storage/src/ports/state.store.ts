/** A stored document of the service's own state: snake_case fields, ISO date strings. */
export interface StateDocument {
  id: string;
}

type Scalar = string | number | boolean | null;
/** Equality, or one operator per field. Dates are compared as ISO strings. */
export type StateFilter = Record<string, Scalar | { $in: Scalar[] } | { $ne: Scalar } | { $lt: Scalar } | { $gt: Scalar }>;

export interface StateFindOptions {
  /** One sort field; ties broken by id in the same direction. */
  sortBy?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  /** Keyset cursor: the sort value and id of the last document of the previous page. */
  after?: { value: Scalar; id: string };
}

/** One collection of state documents (runs, issues, actions, plans…). */
export abstract class StateCollection<T extends StateDocument = StateDocument> {
  abstract get(id: string): Promise<T | null>;
  abstract insert(doc: T): Promise<void>;
  /** Inserts new documents (ids must be new): no lookups, the cheapest bulk write. */
  abstract insertMany(docs: T[]): Promise<void>;
  /**
   * Inserts the documents whose ids are not there yet and leaves the others as they are;
   * returns the ids it inserted. Plain inserts (no per-document lookup), so a move between
   * collections stays cheap on servers that update without an index (FerretDB v1).
   */
  abstract insertNew(docs: T[]): Promise<string[]>;
  /** Replaces each document with the same id, inserting the others. */
  abstract upsertMany(docs: T[]): Promise<void>;
  /** Sets fields; false when absent. */
  abstract update(id: string, fields: Partial<T>): Promise<boolean>;
  abstract updateMany(filter: StateFilter, fields: Partial<T>): Promise<number>;
  abstract find(filter: StateFilter, options?: StateFindOptions): Promise<T[]>;

  /**
   * Every matching document, one at a time, for sets too large to hold (a million-file
   * scope's open issues). Keyset pages by id unless an adapter has a cursor.
   */
  async *stream(filter: StateFilter, pageSize = 1000): AsyncIterable<T> {
    let after: { value: string; id: string } | undefined;
    for (;;) {
      const page = await this.find(filter, { sortBy: 'id', limit: pageSize, after });
      yield* page;
      if (page.length < pageSize) return;
      const last = page[page.length - 1].id;
      after = { value: last, id: last };
    }
  }
  abstract count(filter: StateFilter): Promise<number>;
  abstract deleteMany(filter: StateFilter): Promise<number>;
}

/**
 * The service's own state (sync_runs, sync_issues, sync_actions…), kept beside the
 * metadata: in MongoDB when MONGODB_URI is set, else in the embedded database.
 */
export abstract class StateStore {
  abstract collection<T extends StateDocument>(name: string, indexes?: string[][]): StateCollection<T>;
  /** Throws StoreUnavailableError when the store does not answer (a liveness probe, no data read). */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}
