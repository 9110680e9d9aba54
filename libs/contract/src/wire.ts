/**
 * The JSON that crosses the wire (docs/api.md), exactly as sent: snake_case, ISO dates as strings.
 * The server's presenters are typed against these, the dashboard and the clients read them.
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

export type IssueState = 'open' | 'resolved';
export type RunState = 'running' | 'completed' | 'partial' | 'failed';

/** One store as a run saw it. */
export interface StoreState {
  ok: boolean;
  count: number;
  bytes?: number;
  files?: number;
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
  status: IssueState;
  user_id: string;
  file_id?: string;
  file_key?: string;
  store: Store;
  details: Record<string, unknown>;
  suggested_action: string;
  /** The run that last found it. */
  run_id: string;
  first_detected_at: string;
  last_seen_at: string;
  resolved_at?: string;
  /** Why it was resolved ("not found again", a repair, "duplicate: …"). */
  resolution?: string;
  /** Found only by runs that could not read every store (no complete run confirmed it since): repair refuses to act on it. */
  from_partial_run: boolean;
  /** Its file is inside the grace window (re-uploaded, touched): kept open, not judged until `deferred_until`. */
  deferred: boolean;
  deferred_until?: string;
}

export interface RunPhases {
  vectors_ms?: number;
  first_record_ms?: number;
  join_ms?: number;
  saved_ms?: number;
}

export interface Run {
  run_id: string;
  scope: { user_id: string | null };
  deep: boolean;
  /** Who started it: `api`, `cli`, `schedule`, … */
  trigger: string;
  state: RunState;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  partial: boolean;
  reason?: string;
  stores: Record<Store, StoreState>;
  summary: Summary;
  progress: { processed: number; total_estimate: number };
  phases?: RunPhases;
  /** Comparisons the run could not make (a field the deployment does not store), with how many files each skipped. */
  not_checked: Record<string, number>;
  /** Objects under the configured ignored prefixes, not scanned. */
  ignored_objects: number;
}

/** `null`: that store could not be read (or need not be). */
export type StorePresence = Record<Store, boolean | null>;

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
  stores: StorePresence;
  issues: Issue[];
}

export interface StoreHealth {
  ok: boolean;
  kind: string;
  latency_ms: number;
  error?: string;
}

export type HealthStores = Record<Store, StoreHealth>;

/** A page of a keyset-paginated list: pass `next_cursor` back as `cursor`; `null` on the last page. */
export interface Page {
  next_cursor: string | null;
}

// ---- routes: request bodies, queries and responses, in docs/api.md order ----

/** GET /api/health */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  stores: HealthStores;
}

/** POST /api/sync/analyze */
export interface AnalyzeRequest {
  user_id?: string;
  deep?: boolean;
  /** `false`: answer 202 `{ run_id }` at once instead of waiting for the run. */
  wait?: boolean;
}
export interface AnalyzeResponse extends Run {
  issues: Issue[];
  issues_truncated: boolean;
}
export interface AnalyzeAccepted {
  run_id: string;
}

/** POST /api/sync/check/:file_id */
export interface FileCheckResponse {
  file_id: string;
  status: Status;
  stores: StorePresence;
  points: number;
  issues: Issue[];
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/** GET /api/sync/status/:user_id */
export interface UserStatusResponse extends Page {
  user_id: string;
  status: DisplayStatus;
  last_checked_at: string | null;
  /** Only `total_files` before the user's first check. */
  summary: { total_files: number; synced?: number; out_of_sync?: number; missing?: number; error?: number };
  files: FileStatus[];
}

/** GET /api/sync/overview */
export interface OverviewResponse {
  summary: Summary;
  open_issues: number;
  issues_by_type: Partial<Record<IssueType, number>>;
  /** `null` before the first global run. */
  storage: {
    mongodb: { files: number; bytes: number };
    s3: { objects: number; bytes: number };
    qdrant: { points: number; files: number };
  } | null;
  health: HealthStores;
  last_run: Run | null;
  /** The latest 30, newest first. */
  runs: Run[];
  running: Run[];
  updated_at: string;
}

/** GET /api/sync/users */
export interface UsersQuery extends PageQuery {
  status?: DisplayStatus;
  /** User id prefix. */
  q?: string;
}
export interface UserRow {
  user_id: string;
  status: DisplayStatus;
  total_files: number;
  active_files: number;
  /** `null` until the user's first check. */
  synced: number | null;
  out_of_sync: number | null;
  missing: number | null;
  error: number | null;
  open_issues: number;
  last_checked_at: string | null;
}
export interface UsersResponse extends Page {
  users: UserRow[];
}

/** GET /api/sync/runs (newest first) */
export interface RunsResponse extends Page {
  runs: Run[];
}

/** GET /api/sync/issues */
export interface IssuesQuery extends PageQuery {
  status?: IssueState;
  type?: IssueType;
  user_id?: string;
}
export interface IssuesResponse extends Page {
  issues: Issue[];
}

// ---- repair ----

export type RepairActionName =
  'reembed' | 'delete_vectors' | 'delete_unmapped_points' | 'quarantine_object' | 'finish_deletion' | 'restore_object' | 'fix_size' | 'none';
export type ActionResult = 'planned' | 'done' | 'skipped' | 'failed';
/** An audit entry's result: `interrupted` is an action a crash cut short (journalled as started, never finished). */
export type AuditResult = ActionResult | 'interrupted';

/** POST /api/sync/fix: every given filter must match; none: all open issues. */
export interface FixRequest {
  user_id?: string;
  user_ids?: string[];
  issue_ids?: string[];
  types?: IssueType[];
  /** Execute exactly the lines of a saved dry run. */
  plan_id?: string;
  /** Default `true`. */
  dry_run?: boolean;
  allow_destructive?: boolean;
  /** Only a person may pass it: overrides the circuit breaker. */
  force?: boolean;
  /** `false` (executing only): 202 `{ plan_id, repair_id }` once execution started. */
  wait?: boolean;
}
export interface FixActionView {
  issue_id: string;
  type: IssueType;
  action: RepairActionName;
  /** What the action touches, e.g. `s3:alice/a.txt`. */
  target: string;
  destructive: boolean;
  result: ActionResult;
  reason?: string;
}
export interface CircuitBreakerView {
  tripped: boolean;
  reason: string | null;
  stores: { store: Store; removes: number; total: number | null; percent: number | null; tripped: boolean }[];
}
export interface FixResponse {
  dry_run: boolean;
  plan_id: string;
  repair_id: string;
  /** The first 1000 lines (dry run: of the plan; executed: as executed). */
  actions: FixActionView[];
  /** Lines in the plan. */
  total_actions: number;
  /** Dry run: cursor of GET /api/sync/plans/:plan_id/actions for the next lines; executed: null (the rest is in the audit trail). */
  next_cursor: string | null;
  summary: { planned: number; done: number; skipped: number; failed: number };
  circuit_breaker: CircuitBreakerView;
  /** Always false: plans take any number of issues. */
  truncated: boolean;
  message: string;
}

/** GET /api/sync/plans/:plan_id/actions */
export interface PlanLinesResponse {
  plan_id: string;
  created_at: string;
  scope: string;
  total_actions: number;
  summary: { planned: number; done: number; skipped: number; failed: number };
  circuit_breaker: CircuitBreakerView;
  actions: FixActionView[];
  next_cursor: string | null;
}

/** GET /api/sync/repairs/:repair_id, and the `repair.progress` event. */
export interface RepairProgress {
  repair_id: string;
  plan_id: string;
  state: 'running' | 'completed' | 'interrupted' | 'failed';
  actor: string;
  started_at: string;
  finished_at: string | null;
  total: number;
  processed: number;
  /** Lines an earlier execution of the plan had finished (skipped by this one). */
  resumed: number;
  summary: { planned: number; done: number; skipped: number; failed: number };
  error: string | null;
}

/** GET /api/sync/actions */
export interface ActionsQuery {
  /** `api`, `user`, `schedule`, `event`, `auto`. */
  actor?: string;
  repair_id?: string;
  plan_id?: string;
  issue_id?: string;
  file_id?: string;
  user_id?: string;
  limit?: number;
  cursor?: string;
}
/** One line of the audit trail. */
export interface AuditedAction {
  id: string;
  repair_id: string;
  plan_id: string;
  dry_run: boolean;
  issue_id: string;
  type: IssueType | null;
  action: RepairActionName | 'purge_quarantined' | 'restore_quarantined' | 'purge_quarantined_points' | 'restore_quarantined_points';
  target: string;
  destructive: boolean;
  user_id: string | null;
  file_id: string | null;
  file_key: string | null;
  result: AuditResult;
  reason: string | null;
  error: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  run_id: string | null;
  actor: string;
  at: string;
  duration_ms: number | null;
}
export interface ActionsResponse {
  actions: AuditedAction[];
  next_cursor: string | null;
}

/** One quarantined object (GET /api/sync/quarantine). */
export interface QuarantinedObject {
  key: string;
  original_key: string;
  /** yyyy-mm-dd */
  quarantined_on: string;
  size: number;
  last_modified: string;
  /** The first day the daily purge may delete it. */
  purge_after: string;
}
/** GET /api/sync/quarantine, in key order. */
export interface QuarantineResponse extends Page {
  objects: QuarantinedObject[];
}

/** POST /api/sync/quarantine/restore */
export interface RestoreRequest {
  key: string;
}
export interface RestoreResponse {
  restored_key: string;
}

// ---- files (the pipeline) ----

export type StepResult = 'done' | 'failed' | 'skipped' | 'not_needed';

export interface FileView {
  file_id: string;
  user_id: string;
  file_key: string;
  file_name: string;
  file_size: number;
  content_type: string;
  sha256: string | null;
  is_active: boolean;
  embedding: { chunks: number; model: string; content_hash: string } | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** POST /api/files: 201, or 207 when a step failed (`failed_step`, `error`). */
export interface UploadResponse extends FileView {
  steps: { metadata: StepResult; object: StepResult; vectors: StepResult; embedding: StepResult };
  embedded: boolean;
  chunks: number;
  not_embedded_reason?: string;
  failed_step?: string;
  error?: string;
}

/** DELETE /api/files/:file_id: 200, or 207 when a step failed (repeat to finish). */
export interface DeleteFileResponse {
  file_id: string;
  file_key: string;
  steps: { metadata: StepResult; object: StepResult; vectors: StepResult; deleted_at: StepResult };
  failed_step?: string;
  error?: string;
}

/** GET /api/files: a page (limit 1-1000, default 100) of the user's files in key order. */
export interface FilesQuery {
  user_id: string;
  include_deleted?: boolean;
  limit?: number;
  /** next_cursor of the previous page. */
  cursor?: string;
}
export interface FilesResponse {
  files: FileView[];
  /** null on the last page. */
  next_cursor: string | null;
}

// ---- events and tokens ----

/** The types a caller may report through POST /api/sync/events. */
export const NOTIFIABLE_EVENT_TYPES = ['file.uploaded', 'file.deleted', 'embedding.created', 'embedding.deleted'] as const;
export type NotifiableEventType = (typeof NOTIFIABLE_EVENT_TYPES)[number];

/** POST /api/sync/events: what the backend did to a file itself. */
export interface FileEventRequest {
  type: NotifiableEventType;
  user_id: string;
  file_id: string;
  file_key?: string;
  file_name?: string;
  chunks?: number;
  model?: string;
}
export interface FileEventAccepted {
  accepted: true;
  type: NotifiableEventType;
  file_id: string;
}

/** GET /api/sync/events/stats */
export interface EventStatsResponse {
  seq: number;
  buffered: number;
  capacity: number;
  dropped: number;
}

/** POST /api/sync/tokens (admin) */
export interface IssueTokenRequest {
  user_id: string;
  ttl_seconds?: number;
}
export interface IssueTokenResponse {
  token: string;
  user_id: string;
  expires_at: string;
}

/** GET /api/sync/me: who the bearer token is (an embedded UI learns its user and what it may ask for). */
export interface SessionResponse {
  role: 'admin' | 'user';
  /** `null` for the admin token. */
  user_id: string | null;
  expires_at: string | null;
  /** The repairs a user token may ask for (SYNC_USER_REPAIR_ACTIONS); never destructive. */
  user_repair_actions: RepairActionName[];
}

// ---- probes and feeds ----

/** GET /api/health/live and /api/health/ready (terminus): 503 with the same shape when not ready. */
export interface HealthProbeResponse {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, { status: string; [detail: string]: unknown }>;
  error?: Record<string, { status: string; [detail: string]: unknown }>;
  details?: Record<string, { status: string; [detail: string]: unknown }>;
}

/** One change feed as GET /api/feeds/status shows it. */
export interface FeedStatus {
  feed: 'mongodb' | 's3';
  /** `change_stream`, `poll`, `webhook` or `off`. */
  mode: string;
  connected: boolean;
  last_event_at: string | null;
  lag_ms: number | null;
  events: number;
  checks_scheduled: number;
  last_error: string | null;
  since: string;
}
export interface FeedsResponse {
  feeds: FeedStatus[];
}

// ---- automatic repair and notifications ----

/** GET /api/auto-repair */
export interface AutoRepairStatus {
  enabled: boolean;
  policy: { types: IssueType[]; destructive_types: IssueType[]; max_per_minute: number; batch_seconds: number };
  queued: number;
  totals: { issues: number; done: number; skipped: number; failed: number; refused: number; dropped: number };
  /** The last 20 batches, newest first. */
  recent: {
    at: string;
    issues: number;
    destructive: boolean;
    outcome: 'executed' | 'refused_circuit_breaker' | 'refused_partial_run' | 'failed';
    repair_id: string | null;
    summary: { done: number; skipped: number; failed: number } | null;
    error: string | null;
  }[];
}

export interface NotificationChannel {
  name: string;
  kind: 'webhook' | 'slack' | 'email';
  /** Without secrets: URL host and path start, SMTP host and recipients. */
  target: string;
  rules: { index: number; on: string[]; threshold: number; types: string[] }[];
}
export interface ChannelsResponse {
  channels: NotificationChannel[];
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead_letter';

export interface NotificationDelivery {
  id: string;
  channel: string;
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  message: {
    id: string;
    rule: number | string;
    subject: string;
    text: string;
    counts: Record<string, number>;
    items: { trigger: string; at: string; summary: string; details: Record<string, unknown> }[];
    window: { from: string; to: string };
    created_at: string;
  };
}
export interface DeliveriesQuery {
  status?: DeliveryStatus;
  channel?: string;
  limit?: number;
}
export interface DeliveriesResponse {
  deliveries: NotificationDelivery[];
}

/** POST /api/sync/tokens/revoke */
export interface RevokeTokenResponse {
  revoked: true;
  user_id: string;
  expires_at: string;
}

/** The data model as the config file spells it (README "Adopting an existing deployment"). */
export interface DataModelFile {
  metadata: {
    collection: string;
    /** storesync's field -> dotted path in the document; null: the deployment does not store it. */
    fields: Record<string, string | null>;
    active: { field: string; equals?: string | number | boolean; inactive_value?: string | number | boolean; missing?: true };
  };
  objects: { bucket: string; user_from_key: string; ignore_prefixes: string[] };
  vectors: { collection: string; vector_name: string | null; layout: 'plain' | 'llamaindex'; payload: Record<string, string | null> };
  rules: { not_embedded_content_types: string[] };
}

/** `GET /api/data-model`: the model in force and where it came from (a config file path, or "defaults"). */
export interface DataModelResponse {
  source: string;
  config: DataModelFile;
}

// ---- The checksum scrubber (GET /api/scrub/status, POST /api/scrub/run) ----

export type ScrubRunState = 'running' | 'completed' | 'partial' | 'failed';
/** Why a run ended: every file due was checked, the time budget ran out, a store did not answer, a bug. */
export type ScrubStopReason = 'done' | 'time_budget' | 'store_unavailable' | 'failed' | null;
/** Where a run is (or stopped): the never-verified sweep (in file_key order), new files, then the least recently verified. */
export type ScrubPhase = 'sweep' | 'changes' | 'oldest';

export interface ScrubRun {
  run_id: string;
  trigger: 'schedule' | 'api';
  state: ScrubRunState;
  stopped: ScrubStopReason;
  /** What the store said when it stopped the run (store_unavailable), or the failure. */
  reason: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  files_verified: number;
  bytes_verified: number;
  mismatches: number;
  /** Objects the metadata names that were not in the bucket (the analysis reports them as missing_object). */
  missing: number;
  bytes_per_second: number;
  /** Where it was when it stopped: the next run continues from there. */
  position: { phase: ScrubPhase; cursor: string | null };
}

export interface ScrubCoverage {
  days: number;
  /** Every metadata record (null when MongoDB did not answer). */
  total_files: number | null;
  /** Files whose bytes were hashed in the last `days` days. */
  verified_within_days: number;
  /** Files never hashed (or hashed for content since replaced); null when MongoDB did not answer. */
  never_verified: number | null;
  /** Files with nothing to verify: inactive, or no sha256 in their metadata. */
  not_checkable: number;
  /** Files whose last verification found different bytes. */
  mismatched: number;
  oldest_verified_at: string | null;
}

/** GET /api/scrub/status?days=N */
export interface ScrubStatusResponse {
  settings: { interval_minutes: number; time_budget_seconds: number; bytes_per_second: number; concurrency: number };
  running: ScrubRun | null;
  last_run: ScrubRun | null;
  coverage: ScrubCoverage;
}

/** POST /api/scrub/run (202) */
export interface ScrubRunStarted {
  run_id: string;
}
