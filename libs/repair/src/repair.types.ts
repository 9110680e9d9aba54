import type { ActionResult, RepairActionName } from '@storesync/contract';
import type { IssueType, StoreName } from '@storesync/core';

/** What a repair does about one issue (`none`: nothing can be done automatically), and how it went: the contract's. */
export type { ActionResult, RepairActionName } from '@storesync/contract';

/** Which open issues a fix is about; every given filter must match (AND). None: all open issues. */
export interface RepairSelection {
  userIds?: string[];
  issueIds?: string[];
  types?: IssueType[];
}

/** Who asked: a person through the API (admin token or an end user's token), or an automatic trigger. Only 'api' may force. */
export type RepairActor = 'api' | 'user' | 'schedule' | 'event';

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
  actions: ActionView[];
  summary: FixSummary;
  circuit_breaker: CircuitBreakerView;
  /** Set when the selection held more open issues than one plan takes. */
  truncated: boolean;
  message: string;
}
