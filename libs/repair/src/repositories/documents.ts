import type { IssueType } from '@storesync/core';
import type { ActionResult, CircuitBreakerView, PlannedAction, RepairActionName, RepairActor } from '../repair.types';

/** A `sync_repair_plans` document: what a dry run showed, executable later by id. */
export interface PlanDocument {
  id: string;
  created_at: string;
  actor: RepairActor;
  selection: { user_ids: string[] | null; issue_ids: string[] | null; types: IssueType[] | null };
  scope: string;
  actions: PlannedAction[];
  circuit_breaker: CircuitBreakerView;
  truncated: boolean;
  executed_by: string[];
}

/** A `sync_actions` document: one line of the audit trail. */
export interface ActionAuditDocument {
  id: string;
  repair_id: string;
  plan_id: string;
  dry_run: boolean;
  issue_id: string;
  type: IssueType | null;
  action: RepairActionName | 'purge_quarantined' | 'restore_quarantined';
  target: string;
  destructive: boolean;
  user_id: string | null;
  file_id: string | null;
  file_key: string | null;
  result: ActionResult;
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
