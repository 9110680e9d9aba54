import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InvalidCursorError, IssueLifecycleService } from '@storesync/analysis';
import { EventPublisher } from '@storesync/events';
import { actionView, auditEntry, AuditEntry, RepairAuditService } from './repair-audit.service';
import { RepairExecutor, SHOWN_ACTIONS } from './repair-executor.service';
import { PLAN_PAGE, RepairPlanner } from './repair-planner.service';
import { CircuitBreakerTrippedError, PartialRunIssuesError, PlanExpiredError, PlanNotFoundError, RepairNotFoundError } from './repair.errors';
import { PlanDocument, RepairRunDocument } from './repositories/documents';
import { JournalRepository } from './repositories/journal.repository';
import { PlanRepository } from './repositories/plan.repository';
import type { ActionView, FixOutcome, FixRequest, FixSummary, PlannedAction, RepairActor, RepairProgress, RepairSelection } from './repair.types';

/** A saved plan may be executed for this long; after that the stores have likely moved on. */
export const PLAN_TTL_HOURS = 24;
/** Progress is saved and published at most this often while a plan executes. */
const PROGRESS_INTERVAL_MS = 500;
/** While a plan executes, the event loop gets a turn at least this often, in lines and in time. */
const TURN_EVERY_LINES = 50;
const TURN_EVERY_MS = 20;

export interface ExecuteOptions {
  actor: RepairActor;
  /** Only a person may force past a tripped circuit breaker; automatic repairs never do. */
  force?: boolean;
  allowDestructive?: boolean;
  /** Called once the repair is registered (before its first action), with its id. */
  onStarted?: (repairId: string) => void;
}

/** A page of a plan's lines (cursor: the last line's position). */
export interface PlanPage {
  plan: PlanDocument;
  actions: ActionView[];
  next_cursor: string | null;
}

/**
 * Plans (dry run, the default) and executes saved plans: `plan(...)`, `execute(planId,
 * {actor, force})`, and `fix(...)` that does one or both as POST /api/sync/fix asks.
 */
@Injectable()
export class RepairService {
  private readonly logger = new Logger(RepairService.name);

  constructor(
    private readonly planner: RepairPlanner,
    private readonly executor: RepairExecutor,
    private readonly plans: PlanRepository,
    private readonly journal: JournalRepository,
    private readonly issues: IssueLifecycleService,
    private readonly audit: RepairAuditService,
    private readonly events: EventPublisher,
  ) {}

  /** Builds and saves a plan (nothing changes); every line is audited as planned, under `repairId`. */
  plan(selection: RepairSelection, actor: RepairActor, repairId: string = randomUUID()): Promise<PlanDocument> {
    return this.planner.plan(selection, actor, (plan, lines) =>
      this.audit.record(lines.map((line) => plannedEntry(line, plan, repairId, actor))).then(() => undefined),
    );
  }

  /**
   * Executes a saved plan; executing it again resumes it (lines a previous execution
   * finished are skipped). Refuses (409) plans with issues from a partial run, and plans
   * the circuit breaker stops unless a person forces them.
   */
  async execute(planId: string, options: ExecuteOptions): Promise<{ plan: PlanDocument; progress: RepairProgress; shown: ActionView[] }> {
    const plan = await this.savedPlan(planId);
    const allowDestructive = options.allowDestructive ?? false;
    await this.refusePartialRunIssues(plan);
    // The whole plan counts, whatever page it is executed from.
    const breaker = await this.planner.checkBreaker(plan, allowDestructive ? plan.removes : {});
    if (breaker.tripped && !(options.force && (options.actor === 'api' || options.actor === 'user'))) throw new CircuitBreakerTrippedError(breaker.reason!);
    const repairId = randomUUID();
    if (breaker.tripped) this.logger.warn({ message: 'circuit breaker overridden with force', planId: plan.id, repairId, reason: breaker.reason });
    const run: RepairRunDocument = {
      id: repairId,
      plan_id: plan.id,
      state: 'running',
      actor: options.actor,
      started_at: new Date().toISOString(),
      finished_at: null,
      total: plan.lines,
      processed: 0,
      resumed: 0,
      summary: { planned: 0, done: 0, skipped: 0, failed: 0 },
      error: null,
    };
    const resuming = plan.executed_by.length > 0;
    await this.journal.createRepair(run);
    await this.plans.markExecuted(plan, repairId);
    options.onStarted?.(repairId);
    let lastProgress = 0;
    const turns = { processed: 0, at: Date.now() };
    try {
      const result = await this.executor.execute(plan, {
        repairId,
        allowDestructive,
        actor: options.actor,
        resuming,
        onProgress: async ({ processed, resumed, summary }) => {
          // Called per executed line and page. On the embedded stores nothing else yields: a turn of the
          // event loop every few lines keeps the service answering and lets the socket outbox drain
          // (one per line would cost 100,000 turns a plan).
          if (processed - turns.processed >= TURN_EVERY_LINES || Date.now() - turns.at >= TURN_EVERY_MS) {
            await nextTurn();
            Object.assign(turns, { processed, at: Date.now() });
          }
          Object.assign(run, { processed, resumed, summary: { ...summary } });
          if (Date.now() - lastProgress < PROGRESS_INTERVAL_MS && processed < plan.lines) return;
          lastProgress = Date.now();
          this.publishProgress(run);
          await this.journal.updateRepair(repairId, { processed, resumed, summary: run.summary }).catch(() => undefined);
        },
      });
      Object.assign(run, { state: 'completed', finished_at: new Date().toISOString(), resumed: result.resumed, summary: result.summary });
      await this.journal.updateRepair(repairId, run);
      this.publishProgress(run);
      this.logger.log({ message: 'repair executed', repairId, planId: plan.id, resumed: result.resumed, ...result.summary });
      return { plan: { ...plan, circuit_breaker: breaker }, progress: progressOf(run), shown: result.shown };
    } catch (error) {
      Object.assign(run, { state: 'failed', finished_at: new Date().toISOString(), error: (error as Error).message });
      await this.journal.updateRepair(repairId, run).catch(() => undefined);
      this.publishProgress(run);
      throw error;
    }
  }

  /** POST /api/sync/fix: plan (or take the saved plan), then execute unless it is a dry run. */
  async fix(request: FixRequest): Promise<FixOutcome> {
    const dryRunId = randomUUID();
    const plan = request.planId ? await this.savedPlan(request.planId) : await this.plan(request.selection, request.actor, dryRunId);
    if (request.dryRun) {
      const page = await this.planPage(plan.id, SHOWN_ACTIONS);
      return outcome(plan, dryRunId, true, page.actions, { ...plan.counts, done: 0, failed: 0 }, page.next_cursor);
    }
    const executed = await this.execute(plan.id, { actor: request.actor, force: request.force, allowDestructive: request.allowDestructive });
    // Executed lines beyond the first SHOWN_ACTIONS are in the audit trail (GET /api/sync/actions?repair_id=).
    return outcome(executed.plan, executed.progress.repair_id, false, executed.shown, executed.progress.summary, null);
  }

  /** A page of a saved plan's lines, in plan order. */
  async planPage(planId: string, limit: number, cursor?: string): Promise<PlanPage> {
    const plan = await this.plans.get(planId);
    if (!plan) throw new PlanNotFoundError(planId);
    const after = cursor === undefined ? -1 : decodeSeq(cursor);
    const lines = await this.plans.linePage(planId, limit + 1, after);
    const page = lines.slice(0, limit);
    return { plan, actions: page.map(planView), next_cursor: lines.length > limit ? encodeSeq(page[page.length - 1].seq) : null };
  }

  /** Every line of a saved plan, a page at a time (a caller checking all of them). */
  async *planLines(planId: string): AsyncIterable<PlannedAction[]> {
    for await (const page of this.plans.linePages(planId, PLAN_PAGE)) yield page;
  }

  async repairProgress(repairId: string): Promise<RepairProgress> {
    const run = await this.journal.getRepair(repairId);
    if (!run) throw new RepairNotFoundError(repairId);
    return progressOf(run);
  }

  private publishProgress(run: RepairRunDocument): void {
    const progress = progressOf(run);
    this.events.publish('repair.progress', progress, { userId: null });
  }

  private async savedPlan(planId: string): Promise<PlanDocument> {
    const plan = await this.plans.get(planId);
    if (!plan) throw new PlanNotFoundError(planId);
    if (Date.now() - Date.parse(plan.created_at) > PLAN_TTL_HOURS * 3600_000) throw new PlanExpiredError(planId, PLAN_TTL_HOURS);
    return plan;
  }

  /**
   * Safety rule 1: issues from a run that could not read every store may not be real.
   * Those are few: read at once, then the plan's pages (lookups by id) checked against them.
   */
  private async refusePartialRunIssues(plan: PlanDocument): Promise<void> {
    const partialIds = await this.issues.openFromPartialRunsIds();
    if (partialIds.size === 0) return;
    const partial: string[] = [];
    for await (const page of this.plans.linePages(plan.id, PLAN_PAGE)) {
      for (const line of page) if (partialIds.has(line.issue_id)) partial.push(line.issue_id);
      await nextTurn();
    }
    if (partial.length > 0) throw new PartialRunIssuesError(partial);
  }
}

function plannedEntry(line: PlannedAction, plan: PlanDocument, repairId: string, actor: RepairActor): AuditEntry {
  return auditEntry(
    line,
    { repairId, planId: plan.id, dryRun: true },
    {
      result: line.result,
      reason: line.reason ?? null,
      error: null,
      before: null,
      after: null,
      run_id: null,
      actor,
      duration_ms: null,
    },
  );
}

function planView(line: PlannedAction): ActionView {
  return actionView(line, line.result, line.reason);
}

function progressOf(run: RepairRunDocument): RepairProgress {
  const { id, ...rest } = run;
  return { repair_id: id, ...rest };
}

function encodeSeq(seq: number): string {
  return Buffer.from(JSON.stringify(['seq', seq])).toString('base64url');
}

/** A plan cursor is one this API returned; anything else is the caller's mistake (400 naming `cursor`). */
function decodeSeq(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed[0] === 'seq' && Number.isSafeInteger(parsed[1]) && (parsed[1] as number) >= 0) return parsed[1] as number;
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}

function outcome(plan: PlanDocument, repairId: string, dryRun: boolean, actions: ActionView[], summary: FixSummary, nextCursor: string | null): FixOutcome {
  return {
    dry_run: dryRun,
    plan_id: plan.id,
    repair_id: repairId,
    actions,
    total_actions: plan.lines,
    next_cursor: nextCursor,
    summary,
    circuit_breaker: plan.circuit_breaker,
    truncated: false,
    message: describe(summary, dryRun, plan),
  };
}

function describe(summary: FixSummary, dryRun: boolean, plan: PlanDocument): string {
  const total = summary.planned + summary.done + summary.skipped + summary.failed;
  if (total === 0 && plan.lines === 0) return 'nothing to fix: no open issue matches the selection';
  if (dryRun) {
    const breaker = plan.circuit_breaker.tripped ? ` Executing it would be refused: ${plan.circuit_breaker.reason}` : '';
    return `dry run, nothing changed: ${summary.planned} planned, ${summary.skipped} skipped.${breaker}`;
  }
  if (summary.done === 0 && summary.failed === 0) return `nothing was changed: ${summary.skipped} skipped (see each reason)`;
  return `${summary.done} done, ${summary.skipped} skipped, ${summary.failed} failed`;
}
