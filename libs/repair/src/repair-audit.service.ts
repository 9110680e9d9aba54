import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InvalidCursorError } from '@storesync/analysis';
import { EventPublisher } from '@storesync/events';
import { ActionAuditDocument } from './repositories/documents';
import { ActionAuditRepository, ActionQuery } from './repositories/action-audit.repository';
import type { ActionView, PlannedAction } from './repair.types';

export type AuditEntry = Omit<ActionAuditDocument, 'id' | 'at'> & { at?: string };

/** What an audit entry says beyond the plan line it is about. */
export type AuditOutcome = Pick<AuditEntry, 'result' | 'reason' | 'error' | 'before' | 'after' | 'run_id' | 'actor' | 'duration_ms' | 'at'>;

/** The identity of a line an audit entry is about. */
export type AuditedLine = Pick<PlannedAction, 'issue_id' | 'type' | 'action' | 'target' | 'destructive' | 'user_id' | 'file_id' | 'file_key'>;

/** The audit entry of one plan line: the line's identity, then what happened. */
export function auditEntry(line: AuditedLine, ids: { repairId: string; planId: string; dryRun: boolean }, outcome: AuditOutcome): AuditEntry {
  return {
    repair_id: ids.repairId,
    plan_id: ids.planId,
    dry_run: ids.dryRun,
    issue_id: line.issue_id,
    type: line.type,
    action: line.action,
    target: line.target,
    destructive: line.destructive,
    user_id: line.user_id,
    file_id: line.file_id,
    file_key: line.file_key,
    ...outcome,
  };
}

/** A plan line as the API shows it. */
export function actionView(line: PlannedAction, result: ActionView['result'], reason?: string): ActionView {
  const view: ActionView = { issue_id: line.issue_id, type: line.type, action: line.action, target: line.target, destructive: line.destructive, result };
  if (reason) view.reason = reason;
  return view;
}

function decodeAuditCursor(cursor: string): { value: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string')
      return { value: parsed[0], id: parsed[1] };
  } catch {
    // falls through
  }
  throw new InvalidCursorError();
}

/** Safety rule 5: each action goes to `sync_actions` and out as `repair.action`. */
@Injectable()
export class RepairAuditService {
  private readonly logger = new Logger(RepairAuditService.name);

  constructor(
    private readonly actions: ActionAuditRepository,
    private readonly events: EventPublisher,
  ) {}

  /** The audit trail, newest first, keyset-paged (`cursor`: the previous page's next_cursor). */
  async list(query: ActionQuery, limit: number, cursor?: string): Promise<{ actions: ActionAuditDocument[]; next_cursor: string | null }> {
    const rows = await this.actions.list(query, limit + 1, cursor === undefined ? undefined : decodeAuditCursor(cursor));
    const actions = rows.slice(0, limit);
    const last = actions[actions.length - 1];
    return { actions, next_cursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.at, last.id])).toString('base64url') : null };
  }

  finishedIn(planId: string, issueIds: string[]): Promise<Set<string>> {
    return this.actions.finishedIn(planId, issueIds);
  }

  issuesOf(repairId: string): Promise<Set<string>> {
    return this.actions.issuesOf(repairId);
  }

  async record(entries: AuditEntry[]): Promise<ActionAuditDocument[]> {
    if (entries.length === 0) return [];
    const at = new Date().toISOString();
    const docs = entries.map((entry) => ({ id: randomUUID(), ...entry, at: entry.at ?? at }));
    await this.actions.append(docs);
    for (const doc of docs) {
      const { id, ...data } = doc;
      this.events.publish('repair.action', { action_id: id, ...data }, { userId: doc.user_id, fileId: doc.file_id ?? undefined });
    }
    if (docs.some((d) => d.result === 'failed')) {
      this.logger.warn({ message: 'repair actions failed', repairId: docs[0].repair_id, failed: docs.filter((d) => d.result === 'failed').length });
    }
    return docs;
  }
}
