import { Injectable, Logger } from '@nestjs/common';
import { IssueDocument, IssueLifecycleService } from '@storesync/analysis';
import { mapBounded } from '@storesync/core';
import { DeleteUnmappedPointsAction } from './actions/delete-unmapped-points.action';
import { DeleteVectorsAction } from './actions/delete-vectors.action';
import { FinishDeletionAction } from './actions/finish-deletion.action';
import { FixSizeAction } from './actions/fix-size.action';
import { QuarantineObjectAction } from './actions/quarantine-object.action';
import { ActionOutcome, RepairAction } from './actions/repair-action';
import { ReembedAction } from './actions/reembed.action';
import { RestoreObjectAction } from './actions/restore-object.action';
import { LiveCheckService } from './live-check.service';
import { actionView, auditEntry, AuditEntry, RepairAuditService } from './repair-audit.service';
import { JournalDocument, PlanDocument, PlanLineDocument } from './repositories/documents';
import { JournalRepository } from './repositories/journal.repository';
import { PlanRepository } from './repositories/plan.repository';
import type { ActionResult, ActionView, FixSummary, RepairActionName } from './repair.types';

/** Actions in flight at once: enough to overlap store round trips, few enough not to swamp them. */
export const REPAIR_CONCURRENCY = 4;
/**
 * Plan lines read, journalled, executed, audited and resolved per step: each step is a
 * few bulk statements whatever its size, and on a server without indexes for them
 * (FerretDB v1) each statement scans its collection, so fewer, larger steps cost less.
 */
export const EXECUTE_PAGE = 1000;
/** How many of the executed lines the answer itself shows (the rest is in the audit trail). */
export const SHOWN_ACTIONS = 1000;

export interface ExecutionContext {
  repairId: string;
  allowDestructive: boolean;
  actor: string;
  /** The plan ran before (its lines finished then are skipped: a resumed plan). */
  resuming: boolean;
  onProgress(progress: { processed: number; resumed: number; summary: FixSummary }): Promise<void>;
}

export interface ExecutionResult {
  summary: FixSummary;
  shown: ActionView[];
  resumed: number;
}

interface LineOutcome extends Omit<Partial<ActionOutcome>, 'result'> {
  result: ActionResult;
  error?: string;
}

const RESUMED_REASON = 'finished by an earlier execution of this plan (the plan resumes where it stopped): nothing to do';
const VERIFIED_FAILED = 'verification failed: re-checked after acting, the issue still holds';

/**
 * Runs a plan's lines a page at a time: each line is journalled before it acts (safety
 * rule 5), re-checked by its action, verified against the live stores after it acted
 * (rule 8: `done` only when the issue is gone), audited and resolved in bulk per page.
 * One failure is recorded and the rest go on.
 */
@Injectable()
export class RepairExecutor {
  private readonly logger = new Logger(RepairExecutor.name);
  private readonly handlers: Map<RepairActionName, RepairAction>;

  constructor(
    private readonly issues: IssueLifecycleService,
    private readonly audit: RepairAuditService,
    private readonly plans: PlanRepository,
    private readonly journal: JournalRepository,
    private readonly live: LiveCheckService,
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

  async execute(plan: PlanDocument, context: ExecutionContext): Promise<ExecutionResult> {
    const summary: FixSummary = { planned: 0, done: 0, skipped: 0, failed: 0 };
    const shown: ActionView[] = [];
    let processed = 0;
    let resumed = 0;
    for await (const page of this.plans.linePages(plan.id, EXECUTE_PAGE)) {
      const finished = context.resuming
        ? await this.audit.finishedIn(
            plan.id,
            page.map((line) => line.issue_id),
          )
        : new Set<string>();
      const todo = page.filter((line) => !finished.has(line.issue_id));
      resumed += page.length - todo.length;
      // Lines that act one by one report as they finish: a page of re-embeds takes a while.
      const partial: FixSummary = { planned: 0, done: 0, skipped: 0, failed: 0 };
      let partialCount = 0;
      const onLine = async (result: ActionResult) => {
        partial[result] += 1;
        partialCount += 1;
        await context.onProgress({ processed: processed + partialCount, resumed, summary: addSummaries(summary, partial) });
      };
      const views = [
        ...page.filter((line) => finished.has(line.issue_id)).map((line) => actionView(line, 'skipped', RESUMED_REASON)),
        ...(await this.executePage(plan, todo, context, onLine)),
      ];
      for (const view of views) {
        summary[view.result] += 1;
        if (shown.length < SHOWN_ACTIONS) shown.push(view);
      }
      processed += page.length;
      await context.onProgress({ processed, resumed, summary });
    }
    return { summary, shown, resumed };
  }

  private async executePage(
    plan: PlanDocument,
    lines: PlanLineDocument[],
    context: ExecutionContext,
    onLine: (result: ActionResult) => Promise<void>,
  ): Promise<ActionView[]> {
    if (lines.length === 0) return [];
    const issues = await this.issues.getMany(lines.filter((line) => line.result === 'planned').map((line) => line.issue_id));
    const outcomes = new Map<PlanLineDocument, LineOutcome>();
    const runnable: { line: PlanLineDocument; issue: IssueDocument; handler: RepairAction }[] = [];
    for (const line of lines) {
      const issue = issues.get(line.issue_id) ?? null;
      const gate = this.gate(line, issue, context);
      if (gate) outcomes.set(line, gate);
      else runnable.push({ line, issue: issue!, handler: this.handlers.get(line.action)! });
    }
    // Journal first: whatever happens next, a restart knows these were under way.
    const now = new Date();
    const previous = await this.journal.latestFor(
      runnable.filter(({ handler }) => handler.prepare !== RepairAction.prototype.prepare).map(({ line }) => line.issue_id),
    );
    const journalled: JournalDocument[] = runnable.map(({ line, issue, handler }) => ({
      id: `${context.repairId}:${line.issue_id}`,
      repair_id: context.repairId,
      plan_id: plan.id,
      issue_id: line.issue_id,
      type: line.type,
      action: line.action,
      target: line.target,
      destructive: line.destructive,
      user_id: line.user_id,
      file_id: line.file_id,
      file_key: line.file_key,
      step: handler.prepare(issue, now, previous.get(line.issue_id)?.step ?? null),
      at: now.toISOString(),
    }));
    await this.journal.started(journalled);
    const steps = new Map(journalled.map((entry) => [entry.issue_id, entry.step]));
    const started = Date.now();
    const durations = new Map<PlanLineDocument, number>();
    const single = runnable.filter(({ handler }) => !handler.runBatch);
    const batched = new Map<RepairAction, typeof runnable>();
    for (const item of runnable) {
      if (!item.handler.runBatch) continue;
      const group = batched.get(item.handler);
      if (group) group.push(item);
      else batched.set(item.handler, [item]);
    }
    await Promise.all([
      mapBounded(single, REPAIR_CONCURRENCY, async ({ line, issue, handler }) => {
        const begun = Date.now();
        const outcome = await this.act(line, issue, handler, steps.get(line.issue_id) ?? null);
        outcomes.set(line, outcome);
        durations.set(line, Date.now() - begun);
        await onLine(outcome.result);
      }),
      ...[...batched].map(async ([handler, all]) => {
        // A handler's batchSize bounds what a batch holds (a re-embed's texts and vectors), its
        // batchConcurrency how many batches are under way: one batch's writes overlap the next one's reads.
        const size = handler.batchSize ?? all.length;
        const chunks = Array.from({ length: Math.ceil(all.length / size) }, (_, c) => all.slice(c * size, (c + 1) * size));
        await mapBounded(chunks, handler.batchConcurrency ?? 1, async (items) => {
          const begun = Date.now();
          const results = await this.actBatch(
            items.map(({ line, issue }) => ({ line, issue, step: steps.get(line.issue_id) ?? null })),
            handler,
          );
          // Each line's share of the batch.
          const share = Math.round((Date.now() - begun) / items.length);
          for (const [j, { line }] of items.entries()) {
            outcomes.set(line, results[j]);
            durations.set(line, share);
            await onLine(results[j].result);
          }
        });
      }),
    ]);
    const entries: AuditEntry[] = lines.map((line) => {
      const outcome = outcomes.get(line)!;
      return auditEntry(
        line,
        { repairId: context.repairId, planId: plan.id, dryRun: false },
        {
          result: outcome.result,
          reason: outcome.reason ?? null,
          error: outcome.error ?? null,
          before: outcome.before ?? null,
          after: outcome.after ?? null,
          run_id: issues.get(line.issue_id)?.last_run_id ?? null,
          actor: context.actor,
          duration_ms: durations.get(line) ?? null,
        },
      );
    });
    // Audit before resolving: an entry is the journal's "finished"; lost, the action would read as interrupted.
    await this.audit.record(entries);
    await this.resolve(lines, outcomes, issues);
    this.logger.debug({ message: 'repair page executed', repairId: context.repairId, lines: lines.length, ms: Date.now() - started });
    return lines.map((line) => actionView(line, outcomes.get(line)!.result, outcomes.get(line)!.reason));
  }

  /** Lines that will not act, and why; null when the line runs. */
  private gate(line: PlanLineDocument, issue: IssueDocument | null, context: ExecutionContext): LineOutcome | null {
    if (line.result === 'skipped') return { result: 'skipped', reason: line.reason };
    if (line.destructive && !context.allowDestructive) return { result: 'skipped', reason: 'destructive: not executed without allow_destructive: true' };
    if (!issue) return { result: 'skipped', reason: 'the issue no longer exists' };
    if (issue.status !== 'open') return { result: 'skipped', reason: `already resolved (${issue.resolution ?? 'resolved'}): nothing to do` };
    if (!this.handlers.has(line.action)) return { result: 'skipped', reason: `no automatic repair for ${line.type}` };
    return null;
  }

  /** A batch of one action's lines; a batch that fails fails each of its lines (nothing after the failing step ran). */
  private async actBatch(
    items: { line: PlanLineDocument; issue: IssueDocument; step: Record<string, unknown> | null }[],
    handler: RepairAction,
  ): Promise<LineOutcome[]> {
    try {
      const now = new Date();
      const outcomes = await handler.runBatch!(items.map(({ line, issue, step }) => ({ line, issue, step, now })));
      // A line of the batch that failed alone is an Error; the others are verified as any.
      return await Promise.all(
        outcomes.map((outcome, i) => (outcome instanceof Error ? Promise.resolve(failedLine(outcome)) : this.verify(items[i].issue, outcome))),
      );
    } catch (error) {
      this.logger.warn({ message: 'repair batch failed', action: handler.name, lines: items.length, error: (error as Error).message });
      return items.map(() => failedLine(error as Error));
    }
  }

  /** Runs one action, then verifies it: `done` only when the live stores no longer show the issue. */
  private async act(line: PlanLineDocument, issue: IssueDocument, handler: RepairAction, step: Record<string, unknown> | null): Promise<LineOutcome> {
    let outcome: ActionOutcome;
    try {
      outcome = await handler.run({ issue, line, now: new Date(), step });
    } catch (error) {
      this.logger.warn({ message: 'repair action failed', action: line.action, issueId: line.issue_id, error: (error as Error).message });
      return failedLine(error as Error);
    }
    return this.verify(issue, outcome);
  }

  /** Rule 8: a `done` the action did not verify itself is re-checked against the live stores. */
  private async verify(issue: IssueDocument, outcome: ActionOutcome): Promise<LineOutcome> {
    if (outcome.result !== 'done' || outcome.verified === true) return outcome;
    if (outcome.verified === false) {
      return {
        result: 'failed',
        reason: `${VERIFIED_FAILED}: ${JSON.stringify(outcome.after ?? {})}; it stays open`,
        before: outcome.before,
        after: { ...outcome.after, verified: false },
      };
    }
    try {
      const after = await this.live.check(issue, new Date());
      const still = after.holds ?? after.deferred;
      if (!still) return { ...outcome, after: { ...outcome.after, verified: true } };
      return {
        result: 'failed',
        reason: `${VERIFIED_FAILED} (${still.type}: ${JSON.stringify(still.details)}); it stays open`,
        before: outcome.before,
        after: { ...outcome.after, verified: false, still_holds: still.details },
      };
    } catch (error) {
      const message = (error as Error).message;
      return {
        result: 'failed',
        error: message,
        reason: `the action ran but could not be verified (${message}); the issue stays open until a check shows it gone`,
        before: outcome.before,
        after: { ...outcome.after, verified: false },
      };
    }
  }

  /** Bulk resolution, one write per resolution text. */
  private async resolve(lines: PlanLineDocument[], outcomes: Map<PlanLineDocument, LineOutcome>, issues: Map<string, IssueDocument>): Promise<void> {
    const byResolution = new Map<string, IssueDocument[]>();
    for (const line of lines) {
      const resolution = outcomes.get(line)!.resolution;
      const issue = issues.get(line.issue_id);
      if (!resolution || !issue || outcomes.get(line)!.result === 'failed') continue;
      const group = byResolution.get(resolution);
      if (group) group.push(issue);
      else byResolution.set(resolution, [issue]);
    }
    for (const [resolution, resolved] of byResolution) {
      try {
        await this.issues.resolve(resolved, resolution);
      } catch (error) {
        // The next analysis resolves them anyway: the stores are what count.
        this.logger.warn({ message: 'could not resolve repaired issues', count: resolved.length, error: (error as Error).message });
      }
    }
  }
}

function addSummaries(a: FixSummary, b: FixSummary): FixSummary {
  return { planned: a.planned + b.planned, done: a.done + b.done, skipped: a.skipped + b.skipped, failed: a.failed + b.failed };
}

function failedLine(error: Error): LineOutcome {
  return {
    result: 'failed',
    error: error.message,
    reason: `failed, nothing after the failing step was done; the issue stays open, fix again once the cause is gone: ${error.message}`,
  };
}
