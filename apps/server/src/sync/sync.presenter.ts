import type { FileStatusView, IssueDocument, RunDocument, UserRow } from '@storesync/analysis';
import { scalarText } from '@storesync/core';

/** Domain/state documents → the snake_case wire format of docs/api.md. */
export function presentIssue(issue: IssueDocument) {
  return {
    id: issue.id,
    type: issue.type,
    status: issue.status,
    user_id: issue.user_id,
    file_id: issue.file_id ?? undefined,
    file_key: issue.file_key ?? undefined,
    store: issue.store,
    details: issue.details,
    suggested_action: issue.suggested_action,
    run_id: issue.last_run_id,
    first_detected_at: issue.first_detected_at,
    last_seen_at: issue.last_seen_at,
    resolved_at: issue.resolved_at ?? undefined,
    resolution: issue.resolution ?? undefined,
    from_partial_run: issue.from_partial_run,
    deferred: !!issue.deferred_until,
    deferred_until: issue.deferred_until ?? undefined,
  };
}

export function presentRun(run: RunDocument) {
  return {
    run_id: run.id,
    scope: run.scope,
    deep: run.deep,
    trigger: run.trigger,
    state: run.state,
    started_at: run.started_at,
    finished_at: run.finished_at,
    duration_ms: run.duration_ms,
    partial: run.partial,
    reason: run.reason ?? undefined,
    stores: run.stores,
    summary: run.summary,
    progress: run.progress,
    phases: run.phases,
    // A field the deployment does not store is not compared: how many files each check skipped.
    not_checked: run.not_checked ?? {},
    ignored_objects: run.ignored_objects ?? 0,
  };
}

export function presentFile(view: FileStatusView) {
  const { record } = view;
  return {
    file_id: record.fileId,
    file_key: record.fileKey,
    file_name: record.fileName,
    file_size: record.fileSize,
    content_type: record.contentType,
    is_active: record.isActive,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
    status: view.status,
    stores: view.stores,
    issues: view.issues.map(presentIssue),
  };
}

export function presentUser(row: UserRow) {
  return {
    user_id: row.userId,
    status: row.status,
    total_files: row.totalFiles,
    active_files: row.activeFiles,
    synced: row.counts?.synced ?? null,
    out_of_sync: row.counts?.out_of_sync ?? null,
    missing: row.counts?.missing ?? null,
    error: row.counts?.error ?? null,
    open_issues: row.openIssues,
    last_checked_at: row.lastCheckedAt,
  };
}

const CSV_COLUMNS = [
  'id',
  'type',
  'status',
  'user_id',
  'file_id',
  'file_key',
  'store',
  'suggested_action',
  'run_id',
  'first_detected_at',
  'last_seen_at',
  'resolved_at',
  'resolution',
  'details',
] as const;

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = scalarText(value);
  // Neutralise spreadsheet formulas (OWASP's list: = + - @ TAB CR), and quote risky cells.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r\t]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const ISSUE_CSV_HEADER = CSV_COLUMNS.join(',') + '\n';

export function issueCsvRow(issue: IssueDocument): string {
  const wire = presentIssue(issue) as Record<string, unknown>;
  return CSV_COLUMNS.map((c) => csvCell(wire[c])).join(',') + '\n';
}
