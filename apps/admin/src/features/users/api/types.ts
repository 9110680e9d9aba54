import type { DisplayStatus, FileStatus, Status, Summary } from '@storesync/contract';

/** One row of `GET /api/sync/users`. */
export interface UserSyncRow {
  user_id: string;
  status: DisplayStatus;
  total_files: number;
  // null until an analysis has counted this user's files.
  synced: number | null;
  out_of_sync: number | null;
  missing: number | null;
  error: number | null;
  open_issues: number;
  last_checked_at: string | null;
}

export interface UsersPage {
  users: UserSyncRow[];
  next_cursor: string | null;
}

export interface UsersFilter {
  status?: Status;
  q?: string;
}

/** `GET /api/sync/status/:user_id`. */
export interface UserStatusPage {
  user_id: string;
  status: DisplayStatus;
  last_checked_at: string | null;
  // Only `total_files` before the user's first analysis.
  summary: Pick<Summary, 'total_files'> & Partial<Omit<Summary, 'total_files'>>;
  files: FileStatus[];
  next_cursor: string | null;
}
