import type { ActionResult, RepairActionName } from '@storesync/contract';
import type { IssueType, StoreName } from '@storesync/core';

/** What a repair does about one issue (`none`: nothing can be done automatically), and how it went: the contract's. */
export type { ActionResult, RepairActionName } from '@storesync/contract';

/** An audit entry's result: a line's, or `interrupted` for an action a crash cut short (journalled as started, never finished). */
export type AuditResult = ActionResult | 'interrupted';

/** Which open issues a fix is about; every given filter must match (AND). None: all open issues. */
export interface RepairSelection {
  userIds?: string[];
  issueIds?: string[];
  types?: IssueType[];
}

/** Who asked: a person through the API (admin token or an end user's token), or an automatic trigger. Only 'api' may force. */
export type RepairActor = 'api' | 'user' | 'schedule' | 'event' | 'auto';

export interface FixRequest {
  selection: RepairSelection;
  planId?: string;
  dryRun: boolean;
  allowDestructive: boolean;
  force: boolean;
  actor: RepairActor;
}

/** One line of a plan: an issue, what will be done about it and what that touches. */
export interface PlannedAction {
  issue_id: string;
  type: IssueType;
  action: RepairActionName;
  /** What the action touches, e.g. `s3:alice/a.txt`, `qdrant:<file_id>`. */
  target: string;
  destructive: boolean;
  user_id: string;
  file_id: string | null;
  file_key: string | null;
  /** `planned`, or `skipped` with a reason when nothing will be done. */
  result: 'planned' | 'skipped';
  reason?: string;
  /** Items this action removes from each store (for the circuit breaker). */
  removes: Partial<Record<StoreName, number>>;
}

/** An action as the API reports it. */
export interface ActionView {
  issue_id: string;
  type: IssueType;
  action: RepairActionName;
  target: string;
  destructive: boolean;
  result: ActionResult;
  reason?: string;
}

export interface FixSummary {
  planned: number;
  done: number;
  skipped: number;
  failed: number;
}

export interface CircuitBreakerView {
  tripped: boolean;
  reason: string | null;
  stores: { store: StoreName; removes: number; total: number | null; percent: number | null; tripped: boolean }[];
}

export interface FixOutcome {
  dry_run: boolean;
  plan_id: string;
  repair_id: string;
  /** The first lines (dry run: of the plan; executed: as executed); the rest by `next_cursor`. */
  actions: ActionView[];
  /** Lines in the plan. */
  total_actions: number;
  /**
   * Dry run: the cursor of the plan's next lines (GET /api/sync/plans/:plan_id/actions), null at the end.
   * Executed: null; lines beyond `actions` are in the audit trail (GET /api/sync/actions?repair_id=).
   */
  next_cursor: string | null;
  summary: FixSummary;
  circuit_breaker: CircuitBreakerView;
  /** Plans take any number of issues now: always false (kept for clients that read it). */
  truncated: boolean;
  message: string;
}

/** Where an executing repair is (`repair.progress`, GET /api/sync/repairs/:repair_id). */
export interface RepairProgress {
  repair_id: string;
  plan_id: string;
  state: 'running' | 'completed' | 'interrupted' | 'failed';
  actor: RepairActor;
  started_at: string;
  finished_at: string | null;
  total: number;
  processed: number;
  /** Lines a previous execution of the plan had finished (a resumed plan skips them). */
  resumed: number;
  summary: FixSummary;
  error: string | null;
}
