import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { IssueDocument, IssueLifecycleService } from '@storesync/analysis';
import { actionView, auditEntry, AuditEntry, RepairAuditService } from './repair-audit.service';
import { RepairExecutor } from './repair-executor.service';
import { RepairPlanner } from './repair-planner.service';
import { CircuitBreakerTrippedError, PartialRunIssuesError, PlanExpiredError, PlanNotFoundError } from './repair.errors';
import { PlanDocument } from './repositories/documents';
import { PlanRepository } from './repositories/plan.repository';
import type { ActionView, FixOutcome, FixRequest, FixSummary, PlannedAction } from './repair.types';

/** A saved plan may be executed for this long; after that the stores have likely moved on. */
export const PLAN_TTL_HOURS = 24;

/** Plan (dry run, the default), then execute a saved plan or plan and execute at once. */
@Injectable()
export class RepairService {
  private readonly logger = new Logger(RepairService.name);

  constructor(
    private readonly planner: RepairPlanner,
    private readonly executor: RepairExecutor,
    private readonly plans: PlanRepository,
    private readonly issues: IssueLifecycleService,
    private readonly audit: RepairAuditService,
  ) {}

  async fix(request: FixRequest): Promise<FixOutcome> {
    const repairId = randomUUID();
    const plan = request.planId ? await this.savedPlan(request.planId) : await this.newPlan(request, repairId);
    if (request.dryRun) return outcome(plan, repairId, true, plan.actions.map(planView));

    // Read once for the whole plan: the partial-run refusal and the executor share it.
    const issues = await this.issues.getMany(plan.actions.map((line) => line.issue_id));
    this.refusePartialRunIssues(plan.actions, issues);
    const runnable = plan.actions.filter((line) => line.result === 'planned' && (!line.destructive || request.allowDestructive));
    const breaker = await this.planner.checkBreaker(plan, runnable);
    // Only a person may force; scheduled or event-driven repairs never do.
    if (breaker.tripped && !(request.force && request.actor === 'api')) throw new CircuitBreakerTrippedError(breaker.reason!);
    if (breaker.tripped) this.logger.warn({ message: 'circuit breaker overridden with force', planId: plan.id, repairId, reason: breaker.reason });

    await this.plans.markExecuted(plan, repairId);
    const views = await this.executor.execute(plan.actions, issues, {
      repairId,
      planId: plan.id,
      allowDestructive: request.allowDestructive,
      actor: request.actor,
    });
    const result = outcome({ ...plan, circuit_breaker: breaker }, repairId, false, views);
    this.logger.log({ message: 'repair executed', repairId, planId: plan.id, ...result.summary });
    return result;
  }

  private async newPlan(request: FixRequest, repairId: string): Promise<PlanDocument> {
    const plan = await this.planner.plan(request.selection, request.actor);
    await this.plans.save(plan);
    await this.audit.record(plan.actions.map((line) => plannedEntry(line, plan, repairId, request)));
    return plan;
  }

  private async savedPlan(planId: string): Promise<PlanDocument> {
    const plan = await this.plans.get(planId);
    if (!plan) throw new PlanNotFoundError(planId);
    if (Date.now() - Date.parse(plan.created_at) > PLAN_TTL_HOURS * 3600_000) throw new PlanExpiredError(planId, PLAN_TTL_HOURS);
    return plan;
  }

  /** Safety rule 1: issues from a run that could not read every store may not be real. */
  private refusePartialRunIssues(lines: PlannedAction[], issues: Map<string, IssueDocument>): void {
    const partial = lines
      .map((line) => issues.get(line.issue_id))
      .filter((doc): doc is IssueDocument => !!doc && doc.status === 'open' && doc.from_partial_run)
      .map((doc) => doc.id);
    if (partial.length > 0) throw new PartialRunIssuesError(partial);
  }
}

function plannedEntry(line: PlannedAction, plan: PlanDocument, repairId: string, request: FixRequest): AuditEntry {
  return auditEntry(line, { repairId, planId: plan.id, dryRun: request.dryRun }, {
    result: line.result,
    reason: line.reason ?? null,
    error: null,
    before: null,
    after: null,
    run_id: null,
    actor: request.actor,
    duration_ms: null,
  });
}

function planView(line: PlannedAction): ActionView {
  return actionView(line, line.result, line.reason);
}

function outcome(plan: PlanDocument, repairId: string, dryRun: boolean, actions: ActionView[]): FixOutcome {
  const summary: FixSummary = { planned: 0, done: 0, skipped: 0, failed: 0 };
  for (const action of actions) summary[action.result] += 1;
  return {
    dry_run: dryRun,
    plan_id: plan.id,
    repair_id: repairId,
    actions,
    summary,
    circuit_breaker: plan.circuit_breaker,
    truncated: plan.truncated,
    message: describe(summary, dryRun, plan),
  };
}

function describe(summary: FixSummary, dryRun: boolean, plan: PlanDocument): string {
  const total = summary.planned + summary.done + summary.skipped + summary.failed;
  if (total === 0) return 'nothing to fix: no open issue matches the selection';
  const more = plan.truncated ? ' (more issues match than one plan takes; fix again for the rest)' : '';
  if (dryRun) {
    const breaker = plan.circuit_breaker.tripped ? ` Executing it would be refused: ${plan.circuit_breaker.reason}` : '';
    return `dry run, nothing changed: ${summary.planned} planned, ${summary.skipped} skipped${more}.${breaker}`;
  }
  if (summary.done === 0 && summary.failed === 0) return `nothing was changed: ${summary.skipped} skipped (see each reason)${more}`;
  return `${summary.done} done, ${summary.skipped} skipped, ${summary.failed} failed${more}`;
}
