import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IssueDraft, issueFingerprint, IssueType } from '@storesync/core';
import { StateCollection, StateFilter, StateStore } from '@storesync/storage';
import { IssueDocument } from './documents';

export interface IssueQuery {
  status?: 'open' | 'resolved';
  type?: IssueType;
  userId?: string;
  fileId?: string;
  runId?: string;
}

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
    ]);
  }

  /**
   * Records a batch of findings of one run: known open issues are touched, new ones
   * created. Returns the documents that are new (for sync.issue.detected).
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
        : {
            id: randomUUID(),
            fingerprint,
            type: d.type,
            status: 'open',
            user_id: d.userId,
            file_id: d.fileId ?? null,
            file_key: d.fileKey ?? null,
            store: d.store,
            details: d.details,
            suggested_action: d.suggestedAction,
            run_id: runId,
            last_run_id: runId,
            from_partial_run: partial,
            first_detected_at: at,
            last_seen_at: at,
            resolved_at: null,
            resolution: null,
          };
      if (!previous) created.push(doc);
      all.push(doc);
    }
    await this.issues.upsertMany(all);
    return { all, created };
  }

  /** Resolves open issues of the scope that the run did not find again. */
  async resolveUnseen(runId: string, userId: string | null, now: Date): Promise<IssueDocument[]> {
    const filter: StateFilter = { status: 'open', last_run_id: { $ne: runId } };
    if (userId !== null) filter.user_id = userId;
    const stale = await this.issues.find(filter);
    if (stale.length === 0) return [];
    const at = now.toISOString();
    for (let i = 0; i < stale.length; i += 500) {
      const ids = stale.slice(i, i + 500).map((doc) => doc.id);
      await this.issues.updateMany({ id: { $in: ids } }, { status: 'resolved', resolved_at: at, resolution: 'not found again' });
    }
    return stale.map((doc) => ({ ...doc, status: 'resolved' as const, resolved_at: at, resolution: 'not found again' }));
  }

  async resolve(id: string, resolution: string, now: Date): Promise<boolean> {
    return this.issues.update(id, { status: 'resolved', resolved_at: now.toISOString(), resolution });
  }

  get(id: string): Promise<IssueDocument | null> {
    return this.issues.get(id);
  }

  /** Keyset-paged, oldest detection first. */
  list(query: IssueQuery, limit: number, after?: { value: string; id: string }): Promise<IssueDocument[]> {
    return this.issues.find(this.filter(query), { sortBy: 'first_detected_at', order: 'asc', limit, after });
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
