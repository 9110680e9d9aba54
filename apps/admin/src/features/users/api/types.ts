import type { FileStatus, Status, Summary } from '@/lib/api/contract';

/** One row of `GET /api/sync/users`. */
export interface UserSyncRow {
  user_id: string;
  status: Status;
  total_files: number;
  synced: number;
  out_of_sync: number;
  missing: number;
  error: number;
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
  status: Status;
  last_checked_at: string | null;
  summary: Summary;
  files: FileStatus[];
  next_cursor: string | null;
}
