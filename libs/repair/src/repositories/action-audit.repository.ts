import { Injectable } from '@nestjs/common';
import { StateCollection, StateFilter, StateStore } from '@storesync/storage';
import { ActionAuditDocument } from './documents';

export interface ActionQuery {
  repairId?: string;
  planId?: string;
  fileId?: string;
  userId?: string;
  issueId?: string;
  /** api, user, schedule, event, auto. */
  actor?: string;
}

/** The audit trail (`sync_actions`): every planned and executed action, append-only. */
@Injectable()
export class ActionAuditRepository {
  private readonly actions: StateCollection<ActionAuditDocument>;

  constructor(state: StateStore) {
    this.actions = state.collection<ActionAuditDocument>('sync_actions', [
      ['repair_id', 'at'],
      ['file_id', 'at'],
      ['user_id', 'at'],
      ['issue_id', 'at'],
      ['at'],
    ]);
  }

  /** Audit rows older than `before` (SYNC_AUDIT_RETENTION_DAYS). */
  prune(before: Date): Promise<number> {
    return this.actions.deleteMany({ at: { $lt: before.toISOString() } });
  }

  async append(docs: ActionAuditDocument[]): Promise<void> {
    // Fresh ids: plain inserts, which need no lookup (an upsert is a filtered write per entry).
    await this.actions.insertMany(docs);
  }

  /** Newest first, keyset-paged by `at`. */
  list(query: ActionQuery, limit: number, after?: { value: string; id: string }): Promise<ActionAuditDocument[]> {
    const filter: StateFilter = {};
    if (query.repairId) filter.repair_id = query.repairId;
    if (query.planId) filter.plan_id = query.planId;
    if (query.fileId) filter.file_id = query.fileId;
    if (query.userId) filter.user_id = query.userId;
    if (query.issueId) filter.issue_id = query.issueId;
    if (query.actor) filter.actor = query.actor;
    return this.actions.find(filter, { sortBy: 'at', order: 'desc', limit, after });
  }

  /** Issues of these whose line an execution of the plan finished (done, skipped or failed): a resumed plan skips them. */
  async finishedIn(planId: string, issueIds: string[]): Promise<Set<string>> {
    const finished = new Set<string>();
    for (let i = 0; i < issueIds.length; i += ID_CHUNK) {
      const entries = await this.actions.find({ plan_id: planId, dry_run: false, issue_id: { $in: issueIds.slice(i, i + ID_CHUNK) } });
      for (const entry of entries) if (FINAL.has(entry.result)) finished.add(entry.issue_id);
    }
    return finished;
  }

  /** The issues a repair has audit entries for (what it finished, whatever the result). */
  async issuesOf(repairId: string): Promise<Set<string>> {
    const issues = new Set<string>();
    for await (const entry of this.actions.stream({ repair_id: repairId })) issues.add(entry.issue_id);
    return issues;
  }
}

const ID_CHUNK = 500;
const FINAL = new Set<string>(['done', 'skipped', 'failed']);
