/**
 * Wire types of the storesync HTTP and Socket.IO contract (docs/api.md).
 * They mirror the JSON exactly (snake_case), so a drift from the contract is a type error here,
 * not a silent `undefined` in a component.
 */

export const STATUSES = ['synced', 'out_of_sync', 'missing', 'error'] as const;
export type Status = (typeof STATUSES)[number];
/** A user or file no analysis has looked at yet has no status of its own. */
export type DisplayStatus = Status | 'unchecked';

export const ISSUE_TYPES = [
  'missing_object',
  'missing_vectors',
  'size_mismatch',
  'checksum_mismatch',
  'stale_vectors',
  'orphan_object',
  'orphan_vectors',
  'unmapped_vectors',
  'deletion_incomplete',
  'store_unavailable',
] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

export const STORES = ['mongodb', 's3', 'qdrant'] as const;
export type Store = (typeof STORES)[number];

export interface StoreState {
  ok: boolean;
  count: number;
  error?: string;
}

export interface Summary {
  total_files: number;
  synced: number;
  out_of_sync: number;
  missing: number;
  error: number;
  issues_by_type: Partial<Record<IssueType, number>>;
}

export interface Issue {
  id: string;
  type: IssueType;
  status: 'open' | 'resolved';
  user_id: string;
  file_id?: string;
  file_key?: string;
  store: Store;
  details: Record<string, unknown>;
  suggested_action: string;
  run_id: string;
  first_detected_at: string;
  last_seen_at: string;
  resolved_at?: string;
  /** Why it was resolved ("not found again", a repair, a duplicate). */
  resolution?: string;
}

export type RunState = 'running' | 'completed' | 'partial' | 'failed';

export interface Run {
  run_id: string;
  scope: { user_id: string | null };
  deep: boolean;
  state: RunState;
  started_at: string;
  finished_at?: string;
  duration_ms?: number;
  partial: boolean;
  reason?: string;
  stores: Record<Store, StoreState>;
  summary: Summary;
  progress: { processed: number; total_estimate: number };
}

export interface FileStatus {
  file_id: string;
  file_key: string;
  file_name: string;
  file_size: number;
  updated_at: string;
  status: DisplayStatus;
  /** `null`: that store was not looked at (it could not be reached, or need not be). */
  stores: Record<Store, boolean | null>;
  points?: number;
  issues: Issue[];
}

export interface StoreHealth {
  ok: boolean;
  kind: string;
  latency_ms: number;
  error?: string;
}

export type HealthStores = Record<Store, StoreHealth>;

export const SYNC_EVENT_TYPES = [
  'file.uploaded',
  'file.deleted',
  'embedding.created',
  'embedding.deleted',
  'sync.issue.detected',
  'sync.issue.resolved',
  'analysis.started',
  'analysis.progress',
  'analysis.completed',
  'repair.action',
  'store.health',
] as const;
export type SyncEventType = (typeof SYNC_EVENT_TYPES)[number];

/** One event pushed on the `/sync` namespace as `event`. */
export interface SyncEvent {
  seq: number;
  type: SyncEventType;
  user_id: string;
  file_id?: string;
  at: string;
  data: Record<string, unknown>;
}

export interface AnalysisProgressData {
  run_id: string;
  processed: number;
  total_estimate: number;
}

/** The error body every non-2xx response carries. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: { field: string; message: string }[];
  correlation_id?: string;
  run_id?: string;
}
