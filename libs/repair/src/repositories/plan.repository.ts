import { Injectable } from '@nestjs/common';
import { StateCollection, StateStore } from '@storesync/storage';
import type { PlannedAction } from '../repair.types';
import { PlanDocument, PlanLineDocument } from './documents';

/** Lines per stored page document. */
export const LINES_PER_PAGE = 500;

/** A `sync_repair_plan_pages` document: LINES_PER_PAGE lines of a plan (fewer in its last page), read by id. */
interface PlanPageDocument {
  id: string;
  plan_id: string;
  page: number;
  lines: PlanLineDocument[];
}

/**
 * Plans and their lines. The lines are stored as pages of LINES_PER_PAGE, each one
 * document with an id derived from the plan and the page number: reading a page is a
 * lookup by id whatever the plan's size, where a query over loose lines would scan and
 * sort them on servers without indexes for it (FerretDB v1), once per page.
 */
@Injectable()
export class PlanRepository {
  private readonly plans: StateCollection<PlanDocument>;
  private readonly pages: StateCollection<PlanPageDocument>;
  /** Lines of each plan being built that do not fill a page yet (at most LINES_PER_PAGE - 1 each). */
  private readonly pending = new Map<string, PlanLineDocument[]>();

  constructor(state: StateStore) {
    this.plans = state.collection<PlanDocument>('sync_repair_plans', [['created_at']]);
    this.pages = state.collection<PlanPageDocument>('sync_repair_plan_pages', [['plan_id']]);
  }

  save(plan: PlanDocument): Promise<void> {
    return this.plans.insert(plan);
  }

  async update(id: string, fields: Partial<PlanDocument>): Promise<void> {
    await this.plans.update(id, fields);
  }

  /** Lines `seq`, `seq + 1`, … of the plan: whole pages are stored now, the rest with the next lines or by flushLines. */
  async addLines(planId: string, firstSeq: number, lines: PlannedAction[]): Promise<void> {
    const pending = this.pending.get(planId) ?? [];
    pending.push(...lines.map((line, i) => ({ ...line, id: lineId(planId, firstSeq + i), plan_id: planId, seq: firstSeq + i })));
    const full = pending.length - (pending.length % LINES_PER_PAGE);
    if (full > 0) await this.writePages(planId, pending.splice(0, full));
    this.pending.set(planId, pending);
  }

  /** Stores the plan's last, partly filled page: once the plan's lines are all added. */
  async flushLines(planId: string): Promise<void> {
    const pending = this.pending.get(planId) ?? [];
    this.pending.delete(planId);
    if (pending.length > 0) await this.writePages(planId, pending);
  }

  get(id: string): Promise<PlanDocument | null> {
    return this.plans.get(id);
  }

  /** Up to `limit` lines after `afterSeq`, in plan order. */
  async linePage(planId: string, limit: number, afterSeq = -1): Promise<PlanLineDocument[]> {
    const out: PlanLineDocument[] = [];
    for (let page = Math.floor((afterSeq + 1) / LINES_PER_PAGE); out.length < limit; page++) {
      const doc = await this.pages.get(pageId(planId, page));
      if (!doc) break;
      out.push(...doc.lines.filter((line) => line.seq > afterSeq).slice(0, limit - out.length));
      if (doc.lines.length < LINES_PER_PAGE) break;
    }
    return out;
  }

  /** Every line in plan order, `pageSize` lines at a time (whole stored pages per read). */
  async *linePages(planId: string, pageSize: number): AsyncIterable<PlanLineDocument[]> {
    const buffer: PlanLineDocument[] = [];
    for (let page = 0; ; page++) {
      const doc = await this.pages.get(pageId(planId, page));
      if (doc) buffer.push(...doc.lines);
      while (buffer.length >= pageSize) yield buffer.splice(0, pageSize);
      if (!doc || doc.lines.length < LINES_PER_PAGE) break;
    }
    if (buffer.length > 0) yield buffer;
  }

  /** Plans created before `before`, with their lines; returns how many plans. */
  async prune(before: Date): Promise<number> {
    let removed = 0;
    for (;;) {
      const old = await this.plans.find({ created_at: { $lt: before.toISOString() } }, { sortBy: 'created_at', limit: 100 });
      for (const plan of old) {
        // Lines first: a plan whose lines are gone is never left half-readable.
        await this.pages.deleteMany({ plan_id: plan.id });
        removed += await this.plans.deleteMany({ id: plan.id });
      }
      if (old.length < 100) return removed;
    }
  }

  async markExecuted(plan: PlanDocument, repairId: string): Promise<void> {
    await this.plans.update(plan.id, { executed_by: [...plan.executed_by, repairId] });
  }

  private async writePages(planId: string, lines: PlanLineDocument[]): Promise<void> {
    const docs: PlanPageDocument[] = [];
    for (let i = 0; i < lines.length; i += LINES_PER_PAGE) {
      const page = Math.floor(lines[i].seq / LINES_PER_PAGE);
      docs.push({ id: pageId(planId, page), plan_id: planId, page, lines: lines.slice(i, i + LINES_PER_PAGE) });
    }
    await this.pages.insertMany(docs);
  }
}

/** Zero-padded so ids sort as the sequence does. */
function lineId(planId: string, seq: number): string {
  return `${planId}:${String(seq).padStart(9, '0')}`;
}

function pageId(planId: string, page: number): string {
  return `${planId}:p${String(page).padStart(6, '0')}`;
}
