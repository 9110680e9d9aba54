import { Injectable } from '@nestjs/common';
import type { IssueType } from '@storesync/core';
import { StateCollection, StateFilter, StateStore } from '@storesync/storage';
import { IssueDocument } from './documents';

export interface IssueQuery {
  status?: 'open' | 'resolved';
  type?: IssueType;
  userId?: string;
  fileId?: string;
  /** Issues a run created. */
  createdBy?: string;
}

// Ids per statement: FerretDB v1 scans the collection once per statement, whatever the list's length.
const ID_CHUNK = 2000;

type Keyset = { value: string; id: string };

/**
 * `sync_issues` (the open issues) and `sync_issues_resolved` (the history) persistence;
 * the lifecycle rules live in IssueLifecycleService. Private to the analysis module.
 *
 * Resolving moves an issue: the resolved document is inserted into the history, then
 * the open one deleted, each a bulk statement whatever the number of issues. An update
 * would be one write per issue, and on a server that updates without an index (FerretDB
 * v1) each of those scans the collection. A process stopped between the two statements
 * leaves the issue in both collections: it reads as open until the next resolution of
 * it (a run that no longer finds it, a repair) finishes the move; nothing is lost.
 */
@Injectable()
export class IssueRepository {
  private readonly open: StateCollection<IssueDocument>;
  private readonly resolved: StateCollection<IssueDocument>;

  constructor(state: StateStore) {
    this.open = state.collection<IssueDocument>('sync_issues', [['fingerprint'], ['first_detected_at'], ['user_id'], ['file_id'], ['run_id']]);
    this.resolved = state.collection<IssueDocument>('sync_issues_resolved', [['first_detected_at'], ['user_id'], ['file_id'], ['run_id'], ['resolved_at']]);
  }

  /** Open issues of a scope (all users when null), streamed. */
  openInScope(userId: string | null): AsyncIterable<IssueDocument> {
    return this.open.stream(userId === null ? {} : { user_id: userId });
  }

  /** Open issues whose stored sighting is a partial run's, streamed (a complete run may have confirmed them since). */
  openFromPartialRuns(): AsyncIterable<IssueDocument> {
    return this.open.stream({ from_partial_run: true });
  }

  openByFingerprints(fingerprints: string[]): Promise<IssueDocument[]> {
    if (fingerprints.length === 0) return Promise.resolve([]);
    return this.open.find({ fingerprint: { $in: fingerprints } });
  }

  /** First detections: plain inserts, no lookups. */
  insertMany(docs: IssueDocument[]): Promise<void> {
    return this.open.insertMany(docs);
  }

  /** Sets fields on an open issue; false when it is not open. */
  update(id: string, fields: Partial<Omit<IssueDocument, 'status'>>): Promise<boolean> {
    return this.open.update(id, fields);
  }

  /** Sets the same fields on many open issues, a bounded id list per statement. Returns how many matched. */
  async updateMany(ids: string[], fields: Partial<Omit<IssueDocument, 'status'>>): Promise<number> {
    let matched = 0;
    for (let i = 0; i < ids.length; i += ID_CHUNK) matched += await this.open.updateMany({ id: { $in: ids.slice(i, i + ID_CHUNK) } }, fields);
    return matched;
  }

  /**
   * Resolves open issues by id, the same fields on each: read, then moved in bulk.
   * Returns the issues this call resolved (those resolved meanwhile are left out).
   */
  async resolveIds(ids: string[], fields: ResolutionFields): Promise<IssueDocument[]> {
    const done: IssueDocument[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const current = await this.open.find({ id: { $in: ids.slice(i, i + ID_CHUNK) } });
      done.push(...(await this.move(current.map((doc) => ({ ...doc, ...fields, status: 'resolved' as const })))));
    }
    return done;
  }

  /**
   * Resolves open issues the caller has just read, each with its own fields (the
   * resolved document is the one given). Returns the issues this call resolved.
   */
  async resolveDocs(docs: IssueDocument[]): Promise<IssueDocument[]> {
    const done: IssueDocument[] = [];
    for (let i = 0; i < docs.length; i += ID_CHUNK)
      done.push(...(await this.move(docs.slice(i, i + ID_CHUNK).map((doc) => ({ ...doc, status: 'resolved' as const })))));
    return done;
  }

  /** History first, then the open copy: at every moment the issue is in one of them at least. */
  private async move(resolved: IssueDocument[]): Promise<IssueDocument[]> {
    if (resolved.length === 0) return [];
    const inserted = new Set(await this.resolved.insertNew(resolved));
    await this.open.deleteMany({ id: { $in: resolved.map((doc) => doc.id) } });
    // One already in the history was resolved meanwhile (or by an interrupted move, finished now): not this call's.
    return resolved.filter((doc) => inserted.has(doc.id));
  }

  /** The issues a run created, once it turned out partial: repair will not act on them. */
  async markCreatedByRunPartial(runId: string): Promise<void> {
    // Most were created marked (the recorder saw the store fail); FerretDB v1 updates one by one.
    await this.open.updateMany({ run_id: runId, from_partial_run: false }, { from_partial_run: true });
  }

  async get(id: string): Promise<IssueDocument | null> {
    return (await this.open.get(id)) ?? (await this.resolved.get(id));
  }

  /** Several issues by id in a few queries (a bounded id list each); absent ids are left out. */
  async getMany(ids: string[]): Promise<Map<string, IssueDocument>> {
    const found = new Map<string, IssueDocument>();
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      for (const doc of await this.open.find({ id: { $in: ids.slice(i, i + ID_CHUNK) } })) found.set(doc.id, doc);
    }
    const rest = ids.filter((id) => !found.has(id));
    for (let i = 0; i < rest.length; i += ID_CHUNK) {
      for (const doc of await this.resolved.find({ id: { $in: rest.slice(i, i + ID_CHUNK) } })) found.set(doc.id, doc);
    }
    return found;
  }

  /** Keyset-paged, oldest detection first; without a status, open and resolved merged in that order. */
  async list(query: IssueQuery, limit: number, after?: Keyset): Promise<IssueDocument[]> {
    const options = { sortBy: 'first_detected_at', order: 'asc' as const, limit, after };
    const filter = this.filter(query);
    if (query.status) return this.collectionOf(query.status).find(filter, options);
    const [open, resolved] = await Promise.all([this.open.find(filter, options), this.resolved.find(filter, options)]);
    // An issue caught between the two collections by an interrupted move is shown once, resolved.
    const moved = new Set(resolved.map((doc) => doc.id));
    return [...open.filter((doc) => !moved.has(doc.id)), ...resolved].sort(byDetection).slice(0, limit);
  }

  /** Every matching issue in no particular order (open first), one cursor per collection. */
  async *stream(query: IssueQuery): AsyncIterable<IssueDocument> {
    const filter = this.filter(query);
    if (query.status !== 'resolved') yield* this.open.stream(filter);
    if (query.status !== 'open') yield* this.resolved.stream(filter);
  }

  async count(query: IssueQuery): Promise<number> {
    const filter = this.filter(query);
    if (query.status) return this.collectionOf(query.status).count(filter);
    const [open, resolved] = await Promise.all([this.open.count(filter), this.resolved.count(filter)]);
    return open + resolved;
  }

  openForFiles(fileIds: string[]): Promise<IssueDocument[]> {
    if (fileIds.length === 0) return Promise.resolve([]);
    return this.open.find({ file_id: { $in: fileIds } });
  }

  private collectionOf(status: 'open' | 'resolved'): StateCollection<IssueDocument> {
    return status === 'open' ? this.open : this.resolved;
  }

  // The status is which collection; the rest filters within it.
  private filter(query: IssueQuery): StateFilter {
    const filter: StateFilter = {};
    if (query.type) filter.type = query.type;
    if (query.userId) filter.user_id = query.userId;
    if (query.fileId) filter.file_id = query.fileId;
    if (query.createdBy) filter.run_id = query.createdBy;
    return filter;
  }
}

/** What a resolution sets. */
export type ResolutionFields = Pick<IssueDocument, 'resolved_at' | 'resolution'> &
  Partial<Pick<IssueDocument, 'deferred_until' | 'last_run_id' | 'last_seen_at' | 'from_partial_run'>>;

function byDetection(a: IssueDocument, b: IssueDocument): number {
  if (a.first_detected_at !== b.first_detected_at) return a.first_detected_at < b.first_detected_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
