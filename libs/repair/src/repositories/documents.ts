import type { IssueType, StoreName } from '@storesync/core';
import type { AuditResult, CircuitBreakerView, PlannedAction, RepairActionName, RepairActor, RepairProgress } from '../repair.types';

/**
 * A `sync_repair_plans` document: what a dry run showed, executable later by id. Its
 * lines live beside it in `sync_repair_plan_pages`, 500 lines a document read by id, so a
 * plan of any size costs the same memory and each page the same time.
 */
export interface PlanDocument {
  id: string;
  created_at: string;
  actor: RepairActor;
  selection: { user_ids: string[] | null; issue_ids: string[] | null; types: IssueType[] | null };
  scope: string;
  /** Number of lines. */
  lines: number;
  counts: { planned: number; skipped: number };
  /** What the planned lines remove per store (for the circuit breaker, which counts the whole plan). */
  removes: Partial<Record<StoreName, number>>;
  circuit_breaker: CircuitBreakerView;
  truncated: boolean;
  executed_by: string[];
}

/** One line of a plan, in plan order (`seq`). */
export interface PlanLineDocument extends PlannedAction {
  id: string;
  plan_id: string;
  seq: number;
}

/** A `sync_actions` document: one line of the audit trail. */
export interface ActionAuditDocument {
  id: string;
  repair_id: string;
  plan_id: string;
  dry_run: boolean;
  issue_id: string;
  type: IssueType | null;
  action: RepairActionName | 'purge_quarantined' | 'restore_quarantined' | 'purge_quarantined_points' | 'restore_quarantined_points';
  target: string;
  destructive: boolean;
  user_id: string | null;
  file_id: string | null;
  file_key: string | null;
  result: AuditResult;
  reason: string | null;
  error: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** The analysis run that last found the issue. */
  run_id: string | null;
  actor: string;
  at: string;
  duration_ms: number | null;
}

/**
 * A `sync_repair_journal` document, written before an action touches a store (safety
 * rule 5). Insert-only: the action's audit entry is its "finished"; a journal entry with
 * no audit entry after a restart is an action a crash cut short.
 */
export interface JournalDocument extends Pick<PlannedAction, 'issue_id' | 'type' | 'action' | 'target' | 'destructive' | 'user_id' | 'file_id' | 'file_key'> {
  id: string;
  repair_id: string;
  plan_id: string;
  /** What the action decided before acting, to finish the same way after a crash (e.g. the quarantine key). */
  step: Record<string, unknown> | null;
  at: string;
}

/** A `sync_repairs` document: one execution of a plan. */
export type RepairRunDocument = Omit<RepairProgress, 'repair_id'> & { id: string };
