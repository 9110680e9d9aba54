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

const ID_CHUNK = 500;

/** `sync_issues` persistence; the lifecycle rules live in IssueLifecycleService. Private to the analysis module. */
@Injectable()
export class IssueRepository {
  private readonly issues: StateCollection<IssueDocument>;

  constructor(state: StateStore) {
    this.issues = state.collection<IssueDocument>('sync_issues', [
      ['fingerprint', 'status'],
      ['status', 'first_detected_at'],
      ['user_id', 'status'],
      ['file_id'],
      ['run_id'],
    ]);
  }

  /** Open issues of a scope (all users when null), streamed. */
  openInScope(userId: string | null): AsyncIterable<IssueDocument> {
    return this.issues.stream(userId === null ? { status: 'open' } : { status: 'open', user_id: userId });
  }

  openByFingerprints(fingerprints: string[]): Promise<IssueDocument[]> {
    if (fingerprints.length === 0) return Promise.resolve([]);
    return this.issues.find({ fingerprint: { $in: fingerprints }, status: 'open' });
  }

  /** First detections: plain inserts, no lookups. */
  insertMany(docs: IssueDocument[]): Promise<void> {
    return this.issues.insertMany(docs);
  }

  update(id: string, fields: Partial<IssueDocument>): Promise<boolean> {
    return this.issues.update(id, fields);
  }

  /**
   * Sets the same fields on many issues, a bounded id list per statement; `onlyOpen`
   * leaves issues resolved meanwhile alone. Returns how many matched.
   */
  async updateMany(ids: string[], fields: Partial<IssueDocument>, onlyOpen = false): Promise<number> {
    let matched = 0;
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const filter: StateFilter = { id: { $in: ids.slice(i, i + ID_CHUNK) } };
      if (onlyOpen) filter.status = 'open';
      matched += await this.issues.updateMany(filter, fields);
    }
    return matched;
  }

  /** The issues a run created, once it turned out partial: repair will not act on them. */
  async markCreatedByRunPartial(runId: string): Promise<void> {
    // Most were created marked (the recorder saw the store fail); FerretDB v1 updates one by one.
    await this.issues.updateMany({ run_id: runId, from_partial_run: false }, { from_partial_run: true });
  }

  get(id: string): Promise<IssueDocument | null> {
    return this.issues.get(id);
  }

  /** Several issues by id in a few queries (a bounded id list each); absent ids are left out. */
  async getMany(ids: string[]): Promise<Map<string, IssueDocument>> {
    const found = new Map<string, IssueDocument>();
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      for (const doc of await this.issues.find({ id: { $in: ids.slice(i, i + ID_CHUNK) } })) found.set(doc.id, doc);
    }
    return found;
  }

  /** Keyset-paged, oldest detection first. */
  list(query: IssueQuery, limit: number, after?: { value: string; id: string }): Promise<IssueDocument[]> {
    return this.issues.find(this.filter(query), { sortBy: 'first_detected_at', order: 'asc', limit, after });
  }

  /** Every matching issue in no particular order, one cursor. */
  stream(query: IssueQuery): AsyncIterable<IssueDocument> {
    return this.issues.stream(this.filter(query));
  }

  count(query: IssueQuery): Promise<number> {
    return this.issues.count(this.filter(query));
  }

  openForFiles(fileIds: string[]): Promise<IssueDocument[]> {
    if (fileIds.length === 0) return Promise.resolve([]);
    return this.issues.find({ status: 'open', file_id: { $in: fileIds } });
  }

  private filter(query: IssueQuery): StateFilter {
    const filter: StateFilter = {};
    if (query.status) filter.status = query.status;
    if (query.type) filter.type = query.type;
    if (query.userId) filter.user_id = query.userId;
    if (query.fileId) filter.file_id = query.fileId;
    if (query.createdBy) filter.run_id = query.createdBy;
    return filter;
  }
}
