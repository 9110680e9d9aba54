// The parts of the storesync wire format (docs/api.md) the panel reads. Snake_case, ISO dates as strings.

export type Status = 'synced' | 'out_of_sync' | 'missing' | 'error';
export type DisplayStatus = Status | 'unchecked';
export type Store = 'mongodb' | 's3' | 'qdrant';
export const STORES: readonly Store[] = ['mongodb', 's3', 'qdrant'];

export type IssueType =
  | 'missing_object'
  | 'missing_vectors'
  | 'size_mismatch'
  | 'checksum_mismatch'
  | 'stale_vectors'
  | 'orphan_object'
  | 'orphan_vectors'
  | 'deletion_incomplete'
  | 'store_unavailable';

export type RepairActionName = 'reembed' | 'delete_vectors' | 'quarantine_object' | 'finish_deletion' | 'restore_object' | 'fix_size' | 'none';

export interface Issue {
  id: string;
  type: IssueType;
  status: 'open' | 'resolved';
  user_id: string;
  file_id?: string;
  store: Store;
  suggested_action: string;
  first_detected_at: string;
  last_seen_at: string;
  from_partial_run?: boolean;
}

export interface FileStatus {
  file_id: string;
  file_key: string;
  file_name: string;
  file_size: number;
  content_type: string;
  is_active: boolean;
  created_at: string;
  updated_at: string;
  status: DisplayStatus;
  stores: Record<Store, boolean | null>;
  issues: Issue[];
}

/** GET /api/sync/status/:user_id */
export interface UserStatusResponse {
  user_id: string;
  status: DisplayStatus;
  last_checked_at: string | null;
  files: FileStatus[];
  next_cursor: string | null;
}

/** GET /api/sync/me */
export interface SessionInfo {
  role: 'admin' | 'user';
  user_id: string | null;
  expires_at: string | null;
  user_repair_actions: RepairActionName[];
}

/** POST /api/sync/check/:file_id */
export interface FileCheckResponse {
  file_id: string;
  status: Status;
  stores: Record<Store, boolean | null>;
  issues: Issue[];
}

/** POST /api/sync/fix */
export interface FixRequest {
  user_id: string;
  issue_ids?: string[];
  dry_run?: boolean;
}
export interface FixResponse {
  dry_run: boolean;
  actions: { issue_id: string; action: RepairActionName; result: 'planned' | 'done' | 'skipped' | 'failed'; reason?: string }[];
  summary: { planned: number; done: number; skipped: number; failed: number };
  message: string;
}

/** A pushed Socket.IO event (`event`, or several in one `events` frame). */
export interface SyncEvent {
  seq: number;
  type: string;
  user_id: string | null;
  file_id?: string;
  at: string;
  data: Record<string, unknown>;
}

/** An error body of the API: `code` is stable (`forbidden`, `unauthorized`, `not_found`, …). */
export interface ApiErrorBody {
  statusCode: number;
  code?: string;
  message: string;
}
