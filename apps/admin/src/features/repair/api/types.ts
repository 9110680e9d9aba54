import type { IssueType } from '@storesync/contract';

/** What a fix is about: a user, several users, chosen issues, or issue types. */
export interface FixSelection {
  user_id?: string;
  user_ids?: string[];
  issue_ids?: string[];
  types?: IssueType[];
}

/** Body of `POST /api/sync/fix`. */
export interface FixRequest extends FixSelection {
  plan_id?: string;
  dry_run?: boolean;
  allow_destructive?: boolean;
  force?: boolean;
}

export type FixActionResult = 'planned' | 'done' | 'skipped' | 'failed';

export interface FixAction {
  issue_id: string;
  type: IssueType;
  action: string;
  target: string;
  destructive: boolean;
  result: FixActionResult;
  reason?: string;
}

export interface FixResponse {
  dry_run: boolean;
  plan_id: string;
  repair_id: string;
  actions: FixAction[];
  /** Lines in the whole plan (`actions` is its first page). */
  total_actions: number;
  /** The next page of a dry run's plan (GET /api/sync/plans/:plan_id/actions). */
  next_cursor: string | null;
  summary: { planned: number; done: number; skipped: number; failed: number };
}

/** GET /api/sync/plans/:plan_id/actions */
export interface PlanLinesPage {
  actions: FixAction[];
  next_cursor: string | null;
}
