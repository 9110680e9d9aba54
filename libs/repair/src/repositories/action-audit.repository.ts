import { Injectable } from '@nestjs/common';
import { StateCollection, StateFilter, StateStore } from '@storesync/storage';
import { ActionAuditDocument } from './documents';

export interface ActionQuery {
  repairId?: string;
  planId?: string;
  fileId?: string;
  userId?: string;
  issueId?: string;
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

  async append(docs: ActionAuditDocument[]): Promise<void> {
    // Fresh ids: plain inserts, which need no lookup (an upsert is a filtered write per entry).
    await this.actions.insertMany(docs);
  }

  /** Newest first. */
  list(query: ActionQuery, limit: number): Promise<ActionAuditDocument[]> {
    const filter: StateFilter = {};
    if (query.repairId) filter.repair_id = query.repairId;
    if (query.planId) filter.plan_id = query.planId;
    if (query.fileId) filter.file_id = query.fileId;
    if (query.userId) filter.user_id = query.userId;
    if (query.issueId) filter.issue_id = query.issueId;
    return this.actions.find(filter, { sortBy: 'at', order: 'desc', limit });
  }
}
