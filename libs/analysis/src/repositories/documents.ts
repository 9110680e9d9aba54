import type { IssueType, StoreName, SyncStatus, UncheckedCheck } from '@storesync/core';

export interface StoreState {
  ok: boolean;
  count: number;
  bytes?: number;
  files?: number;
  error?: string;
}

export interface RunSummary {
  total_files: number;
  synced: number;
  out_of_sync: number;
  missing: number;
  error: number;
  issues_by_type: Partial<Record<IssueType, number>>;
}

export type RunState = 'running' | 'completed' | 'partial' | 'failed';

/** A `sync_runs` document. */
export interface RunDocument {
  id: string;
  scope: { user_id: string | null };
  scope_key: string;
  deep: boolean;
  trigger: string;
  state: RunState;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  partial: boolean;
  reason: string | null;
  stores: Record<StoreName, StoreState>;
  summary: RunSummary;
  progress: { processed: number; total_estimate: number };
  issues_found: number;
  /** Where the time went (ms from the start): the scan's phases, then saving the results. */
  phases?: { vectors_ms?: number; first_record_ms?: number; join_ms?: number; saved_ms?: number };
  /**
   * Comparisons the run could not make, with the number of files each was skipped for:
   * a field the deployment does not store is not checked, never a mismatch.
   */
  not_checked?: Partial<Record<UncheckedCheck, number>>;
  /** Objects under objects.ignore_prefixes, not scanned. */
  ignored_objects?: number;
}

/**
 * A `sync_issues` document: one inconsistency with its lifecycle across runs.
 * `last_run_id`, `last_seen_at` and `from_partial_run` are stored only when something
 * other than a complete run sets them (creation, a file check, a change of details,
 * resolution); for an open issue the latest complete run of a covering scope counts
 * too (see derived-state.ts), so a run that finds an issue again writes nothing.
 */
export interface IssueDocument {
  id: string;
  fingerprint: string;
  type: IssueType;
  status: 'open' | 'resolved';
  user_id: string;
  file_id: string | null;
  file_key: string | null;
  store: StoreName;
  details: Record<string, unknown>;
  suggested_action: string;
  run_id: string;
  last_run_id: string;
  /** True when found by a run that could not read every store. */
  from_partial_run: boolean;
  first_detected_at: string;
  last_seen_at: string;
  resolved_at: string | null;
  resolution: string | null;
  /**
   * Set while the issue's file is inside the grace window (re-uploaded, touched): the
   * rules do not judge it until then, so the issue stays open instead of being resolved
   * and found again under a new id. Absent in documents older than this field.
   */
  deferred_until?: string | null;
}

/**
 * A `sync_scope_checks` document: the latest complete run of one scope (`*` or
 * `user:<id>`). Every issue that was open when the run read its scope's issues and is
 * still open was found again by it.
 */
export interface ScopeCheckDocument {
  id: string;
  run_id: string;
  /** When the run read the scope's open issues: the ones detected before were known to it. */
  snapshot_at: string;
  finished_at: string;
}

/** A `sync_user_status` document: one user's tally from the latest run that covered them. */
export interface UserStatusDocument {
  id: string;
  user_id: string;
  status: SyncStatus;
  total_files: number;
  synced: number;
  out_of_sync: number;
  missing: number;
  error: number;
  last_checked_at: string;
  run_id: string;
  partial: boolean;
}

export function emptySummary(): RunSummary {
  return { total_files: 0, synced: 0, out_of_sync: 0, missing: 0, error: 0, issues_by_type: {} };
}
