/** One entry of the audit trail (`GET /api/sync/actions`). */
export interface AuditAction {
  id: string;
  at: string;
  repair_id: string;
  plan_id: string | null;
  dry_run: boolean;
  issue_id: string | null;
  type: string | null;
  action: string;
  target: string;
  destructive: boolean;
  user_id: string | null;
  file_id: string | null;
  file_key: string | null;
  result: string;
  reason: string | null;
  error: string | null;
  actor: string;
  duration_ms: number | null;
}

export interface AuditPage {
  actions: AuditAction[];
  next_cursor: string | null;
}

export interface AuditFilter {
  user_id?: string;
  file_id?: string;
  repair_id?: string;
  actor?: string;
}

export const ACTORS = ['api', 'user', 'schedule', 'event', 'auto'] as const;
