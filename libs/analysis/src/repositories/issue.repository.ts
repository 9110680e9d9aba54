import { Injectable } from '@nestjs/common';
import { IssueDraft, issueFingerprint, IssueType } from '@storesync/core';
import { StateCollection, StateFilter, StateStore } from '@storesync/storage';
import { newIssue } from '../issue-run-recorder';
import { IssueDocument } from './documents';

export interface IssueQuery {
  status?: 'open' | 'resolved';
  type?: IssueType;
  userId?: string;
  fileId?: string;
  runId?: string;
}

const ID_CHUNK = 500;

/** The issue lifecycle: found again keeps its id; no longer found gets resolved_at. */
@Injectable()
export class IssueRepository {
  private readonly issues: StateCollection<IssueDocument>;

  constructor(state: StateStore) {
    this.issues = state.collection<IssueDocument>('sync_issues', [
      ['fingerprint', 'status'],
      ['status', 'first_detected_at'],
      ['user_id', 'status'],
      ['file_id'],
      ['last_run_id'],
      ['run_id'],
    ]);
  }

  /**
   * Records the findings of a single-file check: known open issues are touched, new
   * ones created. Returns the documents that are new (for sync.issue.detected).
   * Full runs go through IssueRunRecorder instead.
   */
  async record(drafts: IssueDraft[], runId: string, partial: boolean, now: Date): Promise<{ all: IssueDocument[]; created: IssueDocument[] }> {
    if (drafts.length === 0) return { all: [], created: [] };
    const byFingerprint = new Map(drafts.map((d) => [issueFingerprint(d), d]));
    const existing = await this.issues.find({ fingerprint: { $in: [...byFingerprint.keys()] }, status: 'open' });
    const known = new Map(existing.map((doc) => [doc.fingerprint, doc]));
    const at = now.toISOString();
    const created: IssueDocument[] = [];
    const all: IssueDocument[] = [];
    for (const [fingerprint, d] of byFingerprint) {
      const previous = known.get(fingerprint);
      const doc: IssueDocument = previous
        ? { ...previous, details: d.details, last_run_id: runId, last_seen_at: at, from_partial_run: partial, user_id: d.userId }
        : { ...newIssue(d, fingerprint, runId, at), from_partial_run: partial };
      if (!previous) created.push(doc);
      all.push(doc);
    }
    await this.issues.upsertMany(all);
    return { all, created };
  }

  /** Open issues of a scope (all users when null), streamed: what a full run compares its findings with. */
  openInScope(userId: string | null): AsyncIterable<IssueDocument> {
    return this.issues.stream(userId === null ? { status: 'open' } : { status: 'open', user_id: userId });
  }

  /** First detections: plain inserts, no lookups. */
  insertMany(docs: IssueDocument[]): Promise<void> {
    return this.issues.insertMany(docs);
  }

  /** Issues found again with other details (a size that changed again): rare, one write each. */
  async updateDetails(changes: { id: string; details: Record<string, unknown> }[], runId: string, at: string): Promise<void> {
    for (const { id, details } of changes) await this.issues.update(id, { details, last_run_id: runId, last_seen_at: at });
  }

  /** Sets the same fields on many issues, a bounded id list per statement. */
  async updateMany(ids: string[], fields: Partial<IssueDocument>): Promise<void> {
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      await this.issues.updateMany({ id: { $in: ids.slice(i, i + ID_CHUNK) } }, fields);
    }
  }

  /** The issues a run created, once it turned out partial: repair will not act on them. */
  async markCreatedByRunPartial(runId: string): Promise<void> {
    await this.issues.updateMany({ run_id: runId }, { from_partial_run: true });
  }

  async resolve(id: string, resolution: string, now: Date): Promise<boolean> {
    return this.issues.update(id, { status: 'resolved', resolved_at: now.toISOString(), resolution });
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

  /** Every matching issue in no particular order, one cursor (exports, the bench's scoring). */
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
    if (query.runId) filter.last_run_id = query.runId;
    return filter;
  }
}
