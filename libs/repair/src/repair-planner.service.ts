import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { IssueDocument, IssueLifecycleService } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';
import { isStoreUnavailable, StoreName } from '@storesync/core';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { planAction } from './action-table';
import { CircuitBreaker, sumRemovals } from './circuit-breaker';
import { mapBounded } from '@storesync/core';
import { objectSha256 } from '@storesync/storage';
import { ObjectRestorer } from './object-restorer';
import { PlanDocument } from './repositories/documents';
import { PlanRepository } from './repositories/plan.repository';
import type { CircuitBreakerView, PlannedAction, RepairActor, RepairSelection } from './repair.types';

/** Issues read, planned and stored per step: a plan of any size costs this much memory. */
export const PLAN_PAGE = 500;
const PROBE_CONCURRENCY = 4;

/**
 * Builds a plan from open issues: one line per issue with what it will touch. Reads
 * only (point lookups for size and restore lines, store counts for the breaker).
 */
@Injectable()
export class RepairPlanner {
  private readonly breaker: CircuitBreaker;
  private readonly quarantinePrefix: string;

  constructor(
    private readonly issues: IssueLifecycleService,
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly vectors: VectorStore,
    private readonly restorer: ObjectRestorer,
    private readonly plans: PlanRepository,
    config: AppConfig,
  ) {
    this.breaker = new CircuitBreaker({ maxPercent: config.sync.maxDeletePercent, minItems: config.sync.maxDeleteMin });
    this.quarantinePrefix = config.sync.quarantinePrefix;
  }

  /**
   * Builds and stores a plan page by page: `onPage` sees each page of lines once they are
   * stored (the dry run's audit). The circuit breaker counts the whole plan.
   */
  async plan(selection: RepairSelection, actor: RepairActor, onPage?: (plan: PlanDocument, lines: PlannedAction[]) => Promise<void>): Promise<PlanDocument> {
    const plan: PlanDocument = {
      id: randomUUID(),
      created_at: new Date().toISOString(),
      actor,
      selection: { user_ids: selection.userIds ?? null, issue_ids: selection.issueIds ?? null, types: selection.types ?? null },
      scope: scopeLabel(selection),
      lines: 0,
      counts: { planned: 0, skipped: 0 },
      removes: {},
      circuit_breaker: { tripped: false, reason: null, stores: [] },
      truncated: false,
      executed_by: [],
    };
    // The header first: a plan whose lines are being written is already there (and expires like any).
    await this.plans.save(plan);
    try {
      for await (const issues of this.select(selection)) {
        const lines = await mapBounded(issues, PROBE_CONCURRENCY, (issue) => this.line(issue));
        await this.plans.addLines(plan.id, plan.lines, lines);
        plan.lines += lines.length;
        for (const line of lines) plan.counts[line.result] += 1;
        plan.removes = sumRemovals([plan.removes, ...lines.filter((line) => line.result === 'planned').map((line) => line.removes)]);
        await onPage?.(plan, lines);
        // The embedded stores answer synchronously: without a turn of the event loop per page a
        // 100,000-line plan would hold it for minutes (no HTTP answer, socket events queued until the end).
        await nextTurn();
      }
    } finally {
      // The last page; after a failure too, so nothing of the plan stays in memory (its header still says 0 lines).
      await this.plans.flushLines(plan.id);
    }
    plan.circuit_breaker = await this.checkBreaker(plan, plan.removes);
    await this.plans.update(plan.id, { lines: plan.lines, counts: plan.counts, removes: plan.removes, circuit_breaker: plan.circuit_breaker });
    return plan;
  }

  /** The breaker over what the plan's lines remove, with store totals counted now. */
  async checkBreaker(plan: Pick<PlanDocument, 'selection' | 'scope'>, removes: Partial<Record<StoreName, number>>): Promise<CircuitBreakerView> {
    const totals: Partial<Record<StoreName, number | undefined>> = {};
    for (const store of this.breaker.storesToCount(removes)) totals[store] = await this.countItems(store, plan.selection.user_ids);
    return this.breaker.evaluate(removes, totals, plan.scope);
  }

  private async line(issue: IssueDocument): Promise<PlannedAction> {
    if (issue.status !== 'open') {
      return { ...planAction(issue), result: 'skipped', reason: `already resolved (${issue.resolution ?? 'resolved'}): nothing to do`, removes: {} };
    }
    if (issue.from_partial_run || !issue.file_id) return planAction(issue);
    try {
      if (issue.type === 'size_mismatch') {
        const line = planAction(issue, await this.objectHashMatches(issue.file_id));
        return line.action === 'restore_object' ? await this.withRestoreCheck(line, issue.file_id) : line;
      }
      if (issue.type === 'missing_object' || issue.type === 'checksum_mismatch') return await this.withRestoreCheck(planAction(issue), issue.file_id);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      // The executor re-checks anyway; a store down at plan time only makes the line less certain.
      return { ...planAction(issue), reason: `could not look ahead: ${(error as Error).message}` };
    }
    return planAction(issue);
  }

  private async objectHashMatches(fileId: string): Promise<boolean | null> {
    const record = await this.metadata.getByFileId(fileId);
    const object = record && (await this.objects.head(record.fileKey));
    if (!record?.sha256 || !object) return null;
    return (await objectSha256(this.objects, object)) === record.sha256;
  }

  private async withRestoreCheck(line: PlannedAction, fileId: string): Promise<PlannedAction> {
    const record = await this.metadata.getByFileId(fileId);
    if (!record) return line;
    const reason = await this.restorer.unavailableReason(record);
    return reason ? { ...line, result: 'skipped', reason, removes: {} } : line;
  }

  /** The selected issues, a page at a time (every filter ANDed). */
  private async *select(selection: RepairSelection): AsyncIterable<IssueDocument[]> {
    const users = selection.userIds?.length ? new Set(selection.userIds) : null;
    const types = selection.types?.length ? new Set<string>(selection.types) : null;
    if (selection.issueIds) {
      const ids = [...new Set(selection.issueIds)];
      for (let i = 0; i < ids.length; i += PLAN_PAGE) {
        const found = await this.issues.getMany(ids.slice(i, i + PLAN_PAGE));
        const page = [...found.values()].filter((issue) => (!users || users.has(issue.user_id)) && (!types || types.has(issue.type)));
        if (page.length > 0) yield page;
      }
      return;
    }
    // Each issue has one user and one type: the combinations never overlap. One cursor
    // each: keyset pages would make a server without indexes (FerretDB v1) scan and sort
    // the open issues once per page.
    for (const userId of users ?? [undefined]) {
      for (const type of (types ?? [undefined]) as (IssueDocument['type'] | undefined)[]) {
        let page: IssueDocument[] = [];
        for await (const issue of this.issues.stream({ status: 'open', userId, type })) {
          page.push(issue);
          if (page.length === PLAN_PAGE) {
            yield page;
            page = [];
          }
        }
        if (page.length > 0) yield page;
      }
    }
  }

  /** Items of a store in the plan's scope; undefined when the store cannot be counted. */
  private async countItems(store: StoreName, userIds: string[] | null): Promise<number | undefined> {
    try {
      const scopes = userIds ?? [undefined];
      let total = 0;
      for (const userId of scopes) {
        if (store === 'qdrant') total += await this.vectors.count(userId ? { userId } : {});
        else if (store === 's3') {
          for await (const object of this.objects.listObjects(userId ? { prefix: `${userId}/` } : {})) {
            if (!object.key.startsWith(this.quarantinePrefix)) total += 1;
          }
        } else total += await this.metadata.count(userId ? { userId } : {});
      }
      return total;
    } catch (error) {
      if (isStoreUnavailable(error)) return undefined;
      throw error;
    }
  }
}

function scopeLabel(selection: RepairSelection): string {
  return selection.userIds?.length ? `user${selection.userIds.length > 1 ? 's' : ''} ${selection.userIds.join(', ')}` : 'all users';
}
