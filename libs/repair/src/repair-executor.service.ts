import { Injectable, Logger } from '@nestjs/common';
import { IssueDocument, IssueLifecycleService } from '@storesync/analysis';
import { DeleteUnmappedPointsAction } from './actions/delete-unmapped-points.action';
import { DeleteVectorsAction } from './actions/delete-vectors.action';
import { FinishDeletionAction } from './actions/finish-deletion.action';
import { FixSizeAction } from './actions/fix-size.action';
import { QuarantineObjectAction } from './actions/quarantine-object.action';
import { ActionOutcome, RepairAction } from './actions/repair-action';
import { ReembedAction } from './actions/reembed.action';
import { RestoreObjectAction } from './actions/restore-object.action';
import { mapBounded } from '@storesync/core';
import { actionView, auditEntry, RepairAuditService } from './repair-audit.service';
import type { ActionResult, ActionView, PlannedAction, RepairActionName } from './repair.types';

/** Actions in flight at once: enough to overlap store round trips, few enough not to swamp them. */
export const REPAIR_CONCURRENCY = 4;

export interface ExecutionContext {
  repairId: string;
  planId: string;
  allowDestructive: boolean;
  actor: string;
}

interface LineOutcome extends Omit<Partial<ActionOutcome>, 'result'> {
  result: ActionResult;
  error?: string;
}

/** Runs a plan's lines with bounded concurrency; one failure is recorded and the rest go on. */
@Injectable()
export class RepairExecutor {
  private readonly logger = new Logger(RepairExecutor.name);
  private readonly handlers: Map<RepairActionName, RepairAction>;

  constructor(
    private readonly issues: IssueLifecycleService,
    private readonly audit: RepairAuditService,
    reembed: ReembedAction,
    deleteVectors: DeleteVectorsAction,
    quarantineObject: QuarantineObjectAction,
    finishDeletion: FinishDeletionAction,
    restoreObject: RestoreObjectAction,
    fixSize: FixSizeAction,
    deleteUnmappedPoints: DeleteUnmappedPointsAction,
  ) {
    this.handlers = new Map<RepairActionName, RepairAction>(
      [reembed, deleteVectors, quarantineObject, finishDeletion, restoreObject, fixSize, deleteUnmappedPoints].map((h) => [h.name, h]),
    );
  }

  /** `issues`: the plan's issues as read just before (each action re-checks the stores anyway). */
  execute(lines: PlannedAction[], issues: Map<string, IssueDocument>, context: ExecutionContext): Promise<ActionView[]> {
    return mapBounded(lines, REPAIR_CONCURRENCY, (line) => this.executeLine(line, issues, context));
  }

  private async executeLine(line: PlannedAction, issues: Map<string, IssueDocument>, context: ExecutionContext): Promise<ActionView> {
    const started = Date.now();
    let issue: IssueDocument | null = null;
    let outcome: LineOutcome;
    try {
      issue = line.result === 'planned' ? (issues.get(line.issue_id) ?? null) : null;
      outcome = await this.outcome(line, issue, context);
    } catch (error) {
      // The issue could not even be read: nothing was done.
      outcome = { result: 'failed', error: (error as Error).message, reason: `could not read the issue, nothing was done: ${(error as Error).message}` };
    }
    if (outcome.resolution && issue) await this.resolve(issue, outcome.resolution);
    await this.audit
      .record([
        auditEntry(line, { repairId: context.repairId, planId: context.planId, dryRun: false }, {
          result: outcome.result,
          reason: outcome.reason ?? null,
          error: outcome.error ?? null,
          before: outcome.before ?? null,
          after: outcome.after ?? null,
          run_id: issue?.last_run_id ?? null,
          actor: context.actor,
          duration_ms: Date.now() - started,
        }),
      ])
      .catch((error) => this.logger.error({ message: 'could not write the audit trail', issueId: line.issue_id, error: (error as Error).message }));
    return actionView(line, outcome.result, outcome.reason);
  }

  private async outcome(line: PlannedAction, issue: IssueDocument | null, context: ExecutionContext): Promise<LineOutcome> {
    if (line.result === 'skipped') return { result: 'skipped', reason: line.reason };
    if (line.destructive && !context.allowDestructive) {
      return { result: 'skipped', reason: 'destructive: not executed without allow_destructive: true' };
    }
    if (!issue) return { result: 'skipped', reason: 'the issue no longer exists' };
    if (issue.status !== 'open') return { result: 'skipped', reason: `already resolved (${issue.resolution ?? 'resolved'}): nothing to do` };
    const handler = this.handlers.get(line.action);
    if (!handler) return { result: 'skipped', reason: `no automatic repair for ${line.type}` };
    try {
      return await handler.run({ issue, line, now: new Date() });
    } catch (error) {
      const message = (error as Error).message;
      this.logger.warn({ message: 'repair action failed', action: line.action, issueId: line.issue_id, error: message });
      return { result: 'failed', error: message, reason: `failed, nothing after the failing step was done; the issue stays open, fix again once the cause is gone: ${message}` };
    }
  }

  private async resolve(issue: IssueDocument, resolution: string): Promise<void> {
    try {
      await this.issues.resolve([issue], resolution);
    } catch (error) {
      // The next analysis resolves it anyway: the stores are what count.
      this.logger.warn({ message: 'could not resolve a repaired issue', issueId: issue.id, error: (error as Error).message });
    }
  }
}
