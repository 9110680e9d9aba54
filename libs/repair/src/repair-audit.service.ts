import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EventPublisher } from '@storesync/events';
import { ActionAuditDocument } from './repositories/documents';
import { ActionAuditRepository } from './repositories/action-audit.repository';
import type { ActionView, PlannedAction } from './repair.types';

export type AuditEntry = Omit<ActionAuditDocument, 'id' | 'at'> & { at?: string };

/** What an audit entry says beyond the plan line it is about. */
export type AuditOutcome = Pick<AuditEntry, 'result' | 'reason' | 'error' | 'before' | 'after' | 'run_id' | 'actor' | 'duration_ms'>;

/** The audit entry of one plan line: the line's identity, then what happened. */
export function auditEntry(line: PlannedAction, ids: { repairId: string; planId: string; dryRun: boolean }, outcome: AuditOutcome): AuditEntry {
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

/** Safety rule 5: each action goes to `sync_actions` and out as `repair.action`. */
@Injectable()
export class RepairAuditService {
  private readonly logger = new Logger(RepairAuditService.name);

  constructor(
    private readonly actions: ActionAuditRepository,
    private readonly events: EventPublisher,
  ) {}

  async record(entries: AuditEntry[]): Promise<ActionAuditDocument[]> {
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
