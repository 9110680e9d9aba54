import { Injectable } from '@nestjs/common';
import { StateCollection, StateStore } from '@storesync/storage';
import type { PlannedAction } from '../repair.types';
import { PlanDocument, PlanLineDocument } from './documents';

/** Plans and their lines, a page at a time. */
@Injectable()
export class PlanRepository {
  private readonly plans: StateCollection<PlanDocument>;
  private readonly lines: StateCollection<PlanLineDocument>;

  constructor(state: StateStore) {
    this.plans = state.collection<PlanDocument>('sync_repair_plans', [['created_at']]);
    this.lines = state.collection<PlanLineDocument>('sync_repair_plan_lines', [['plan_id', 'seq']]);
  }

  save(plan: PlanDocument): Promise<void> {
    return this.plans.insert(plan);
  }

  async update(id: string, fields: Partial<PlanDocument>): Promise<void> {
    await this.plans.update(id, fields);
  }

  /** Lines `seq`, `seq + 1`, … of the plan: fresh ids, plain inserts. */
  addLines(planId: string, firstSeq: number, lines: PlannedAction[]): Promise<void> {
    return this.lines.insertMany(lines.map((line, i) => ({ ...line, id: lineId(planId, firstSeq + i), plan_id: planId, seq: firstSeq + i })));
  }

  get(id: string): Promise<PlanDocument | null> {
    return this.plans.get(id);
  }

  /** Up to `limit` lines after `afterSeq`, in plan order. */
  linePage(planId: string, limit: number, afterSeq = -1): Promise<PlanLineDocument[]> {
    return this.lines.find({ plan_id: planId, seq: { $gt: afterSeq } }, { sortBy: 'seq', order: 'asc', limit });
  }

  /** Every line in plan order, a page per round trip. */
  async *linePages(planId: string, pageSize: number): AsyncIterable<PlanLineDocument[]> {
    let after = -1;
    for (;;) {
      const page = await this.linePage(planId, pageSize, after);
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].seq;
    }
  }

  /** Plans created before `before`, with their lines; returns how many plans. */
  async prune(before: Date): Promise<number> {
    let removed = 0;
    for (;;) {
      const old = await this.plans.find({ created_at: { $lt: before.toISOString() } }, { sortBy: 'created_at', limit: 100 });
      for (const plan of old) {
        // Lines first: a plan whose lines are gone is never left half-readable.
        await this.lines.deleteMany({ plan_id: plan.id });
        removed += await this.plans.deleteMany({ id: plan.id });
      }
      if (old.length < 100) return removed;
    }
  }

  async markExecuted(plan: PlanDocument, repairId: string): Promise<void> {
    await this.plans.update(plan.id, { executed_by: [...plan.executed_by, repairId] });
  }
}

/** Zero-padded so ids sort as the sequence does. */
function lineId(planId: string, seq: number): string {
  return `${planId}:${String(seq).padStart(9, '0')}`;
}
