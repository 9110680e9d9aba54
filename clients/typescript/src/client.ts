import type {
  AuditedAction,
  AutoRepairStatus,
  ScrubRunStarted,
  ScrubStatusResponse,
  ChannelsResponse,
  DeliveriesQuery,
  DeliveriesResponse,
  NotificationDelivery,
  PlanLinesResponse,
  DataModelResponse,
  QuarantinedObject,
  QuarantineResponse,
  RepairProgress,
  RevokeTokenResponse,
  FixActionView,
  ActionsQuery,
  ActionsResponse,
  AnalyzeAccepted,
  AnalyzeRequest,
  AnalyzeResponse,
  DeleteFileResponse,
  EventStatsResponse,
  FeedsResponse,
  FileCheckResponse,
  FileEventAccepted,
  FileEventRequest,
  FilesQuery,
  FilesResponse,
  FileStatus,
  FixRequest,
  FixResponse,
  HealthProbeResponse,
  HealthResponse,
  Issue,
  IssuesQuery,
  IssuesResponse,
  IssueTokenRequest,
  IssueTokenResponse,
  OverviewResponse,
  PageQuery,
  RestoreResponse,
  Run,
  RunsResponse,
  SessionResponse,
  UploadResponse,
  UserRow,
  UsersQuery,
  UsersResponse,
  UserStatusResponse,
} from '@storesync/contract';
import { StoreSyncError } from './errors';
import { HttpOptions, HttpTransport, RequestOptions } from './http';
import { LiveOptions, LiveSubscription, LiveTarget } from './live';
import { paginate } from './pagination';

export type StoreSyncClientOptions = HttpOptions;

/** Per-call options: an AbortSignal, or a token other than the client's. */
export type CallOptions = Pick<RequestOptions, 'signal' | 'token'>;

/** What an upload takes: the bytes and how to name them. */
export interface UploadInput {
  userId: string;
  file: Blob | ArrayBuffer | Uint8Array<ArrayBuffer> | string;
  fileName: string;
  contentType?: string;
}

const enc = encodeURIComponent;

/**
 * Every storesync REST route as a typed method (docs/api.md), cursor iterators over the
 * paginated lists, and `live()` for the Socket.IO events. Works in browsers and in Node (≥ 18).
 * A non-2xx answer throws StoreSyncError with the contract's `code` and `status`.
 */
export class StoreSyncClient {
  private readonly http: HttpTransport;

  constructor(private readonly options: StoreSyncClientOptions) {
    this.http = new HttpTransport(options);
  }

  // ---- health ----

  /** GET /api/health (no token needed): each store's reachability. */
  async health(options?: CallOptions): Promise<HealthResponse> {
    return (await this.http.json<HealthResponse>('/api/health', options)).body;
  }

  /** GET /api/health/live. */
  async liveness(options?: CallOptions): Promise<HealthProbeResponse> {
    return (await this.http.json<HealthProbeResponse>('/api/health/live', options)).body;
  }

  /** GET /api/health/ready: throws StoreSyncError (503) when the state store does not answer. */
  async readiness(options?: CallOptions): Promise<HealthProbeResponse> {
    return (await this.http.json<HealthProbeResponse>('/api/health/ready', options)).body;
  }

  // ---- analysis ----

  /** POST /api/sync/analyze and wait for the run (`analysis_running` when the scope is already being analysed). */
  async analyze(request: Omit<AnalyzeRequest, 'wait'> = {}, options?: CallOptions): Promise<AnalyzeResponse> {
    return (await this.http.json<AnalyzeResponse>('/api/sync/analyze', { ...options, method: 'POST', body: request })).body;
  }

  /** POST /api/sync/analyze `{ wait: false }`: the run id at once (202). */
  async startAnalysis(request: Omit<AnalyzeRequest, 'wait'> = {}, options?: CallOptions): Promise<AnalyzeAccepted> {
    return (await this.http.json<AnalyzeAccepted>('/api/sync/analyze', { ...options, method: 'POST', body: { ...request, wait: false } })).body;
  }

  /** Polls GET /api/sync/runs/:run_id until the run is no longer running. */
  async waitForRun(
    runId: string,
    { intervalMs = 200, timeoutMs = 300_000, signal }: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.run(runId, { signal });
      if (run.state !== 'running') return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** POST /api/sync/check/:file_id: one file by point lookups in the three stores. */
  async checkFile(fileId: string, options?: CallOptions): Promise<FileCheckResponse> {
    return (await this.http.json<FileCheckResponse>(`/api/sync/check/${enc(fileId)}`, { ...options, method: 'POST' })).body;
  }

  /** GET /api/sync/status/:user_id: one page of the user's files. */
  async userStatus(userId: string, page: PageQuery = {}, options?: CallOptions): Promise<UserStatusResponse> {
    return (await this.http.json<UserStatusResponse>(`/api/sync/status/${enc(userId)}`, { ...options, query: page })).body;
  }

  /** Every file of a user with its status, across pages. */
  userFiles(userId: string, { limit }: Pick<PageQuery, 'limit'> = {}, options?: CallOptions): AsyncGenerator<FileStatus, void, undefined> {
    return paginate(
      (cursor) => this.userStatus(userId, { limit, cursor }, options),
      (page) => page.files,
    );
  }

  /** GET /api/sync/overview. */
  async overview(options?: CallOptions): Promise<OverviewResponse> {
    return (await this.http.json<OverviewResponse>('/api/sync/overview', options)).body;
  }

  /** GET /api/sync/users: one page. */
  async users(query: UsersQuery = {}, options?: CallOptions): Promise<UsersResponse> {
    return (await this.http.json<UsersResponse>('/api/sync/users', { ...options, query })).body;
  }

  /** Every user row matching the query, across pages. */
  iterateUsers(query: Omit<UsersQuery, 'cursor'> = {}, options?: CallOptions): AsyncGenerator<UserRow, void, undefined> {
    return paginate(
      (cursor) => this.users({ ...query, cursor }, options),
      (page) => page.users,
    );
  }

  /** GET /api/sync/runs: one page, newest first. */
  async runs(query: PageQuery = {}, options?: CallOptions): Promise<RunsResponse> {
    return (await this.http.json<RunsResponse>('/api/sync/runs', { ...options, query })).body;
  }

  /** Every run, newest first, across pages. */
  iterateRuns(query: Omit<PageQuery, 'cursor'> = {}, options?: CallOptions): AsyncGenerator<Run, void, undefined> {
    return paginate(
      (cursor) => this.runs({ ...query, cursor }, options),
      (page) => page.runs,
    );
  }

  /** GET /api/sync/runs/:run_id (`not_found` when unknown). */
  async run(runId: string, options?: CallOptions): Promise<Run> {
    return (await this.http.json<Run>(`/api/sync/runs/${enc(runId)}`, options)).body;
  }

  /** GET /api/sync/issues: one page. */
  async issues(query: IssuesQuery = {}, options?: CallOptions): Promise<IssuesResponse> {
    return (await this.http.json<IssuesResponse>('/api/sync/issues', { ...options, query })).body;
  }

  /** Every issue matching the query, across pages. */
  iterateIssues(query: Omit<IssuesQuery, 'cursor'> = {}, options?: CallOptions): AsyncGenerator<Issue, void, undefined> {
    return paginate(
      (cursor) => this.issues({ ...query, cursor }, options),
      (page) => page.issues,
    );
  }

  /** GET /api/sync/issues?format=csv: every matching issue as CSV text. */
  issuesCsv(query: Omit<IssuesQuery, 'cursor' | 'limit'> = {}, options?: CallOptions): Promise<string> {
    return this.http.text('/api/sync/issues', { ...options, query: { ...query, format: 'csv' } });
  }

  // ---- repair ----

  /** POST /api/sync/fix: a dry run unless `dry_run: false` (then `partial_run` / `circuit_breaker` may refuse). */
  async fix(request: FixRequest = {}, options?: CallOptions): Promise<FixResponse> {
    return (await this.http.json<FixResponse>('/api/sync/fix', { ...options, method: 'POST', body: request })).body;
  }

  /** POST /api/sync/fix `{ dry_run: false, wait: false }`: executes in the background, 202 with the ids to follow. */
  async startRepair(request: Omit<FixRequest, 'dry_run' | 'wait'>, options?: CallOptions): Promise<{ plan_id: string; repair_id: string }> {
    const body = { ...request, dry_run: false, wait: false };
    return (await this.http.json<{ plan_id: string; repair_id: string }>('/api/sync/fix', { ...options, method: 'POST', body })).body;
  }

  /** GET /api/sync/repairs/:repair_id: an execution's progress (also pushed as `repair.progress`). */
  async repair(repairId: string, options?: CallOptions): Promise<RepairProgress> {
    return (await this.http.json<RepairProgress>(`/api/sync/repairs/${enc(repairId)}`, options)).body;
  }

  /** Polls GET /api/sync/repairs/:repair_id until the execution is no longer running. */
  async waitForRepair(
    repairId: string,
    { intervalMs = 200, timeoutMs = 600_000, signal }: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<RepairProgress> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const progress = await this.repair(repairId, { signal });
      if (progress.state !== 'running') return progress;
      if (Date.now() > deadline) throw new Error(`repair ${repairId} still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** GET /api/sync/plans/:plan_id/actions: one page of a saved plan's lines. */
  async planLines(planId: string, page: PageQuery = {}, options?: CallOptions): Promise<PlanLinesResponse> {
    return (await this.http.json<PlanLinesResponse>(`/api/sync/plans/${enc(planId)}/actions`, { ...options, query: page })).body;
  }

  /** Every line of a saved plan, across pages. */
  iteratePlanLines(planId: string, { limit }: Pick<PageQuery, 'limit'> = {}, options?: CallOptions): AsyncGenerator<FixActionView, void, undefined> {
    return paginate(
      (cursor) => this.planLines(planId, { limit, cursor }, options),
      (page) => page.actions,
    );
  }

  /** GET /api/sync/actions: one page of the audit trail, newest first. */
  async actions(query: ActionsQuery = {}, options?: CallOptions): Promise<ActionsResponse> {
    return (await this.http.json<ActionsResponse>('/api/sync/actions', { ...options, query })).body;
  }

  /** Every audit entry matching the query, newest first, across pages. */
  iterateActions(query: Omit<ActionsQuery, 'cursor'> = {}, options?: CallOptions): AsyncGenerator<AuditedAction, void, undefined> {
    return paginate(
      (cursor) => this.actions({ ...query, cursor }, options),
      (page) => page.actions,
    );
  }

  /** GET /api/auto-repair: the automatic repair policy, queue and recent batches. */
  async autoRepair(options?: CallOptions): Promise<AutoRepairStatus> {
    return (await this.http.json<AutoRepairStatus>('/api/auto-repair', options)).body;
  }

  /** GET /api/sync/quarantine: one page of quarantined objects, in key order. */
  async quarantine(page: PageQuery = {}, options?: CallOptions): Promise<QuarantineResponse> {
    return (await this.http.json<QuarantineResponse>('/api/sync/quarantine', { ...options, query: page })).body;
  }

  /** Every quarantined object, across pages. */
  iterateQuarantine({ limit }: Pick<PageQuery, 'limit'> = {}, options?: CallOptions): AsyncGenerator<QuarantinedObject, void, undefined> {
    return paginate(
      (cursor) => this.quarantine({ limit, cursor }, options),
      (page) => page.objects,
    );
  }

  /** GET /api/scrub/status: the checksum scrubber's settings, runs and coverage (files verified in the last `days` days). */
  async scrubStatus(days?: number, options?: CallOptions): Promise<ScrubStatusResponse> {
    return (await this.http.json<ScrubStatusResponse>('/api/scrub/status', { ...options, query: { days } })).body;
  }

  /** POST /api/scrub/run: starts a scrubber run now (409 `conflict` while one goes). */
  async runScrub(options?: CallOptions): Promise<ScrubRunStarted> {
    return (await this.http.json<ScrubRunStarted>('/api/scrub/run', { ...options, method: 'POST', body: {} })).body;
  }

  /** POST /api/sync/quarantine/restore: a quarantined object back at its original key. */
  async restoreQuarantined(key: string, options?: CallOptions): Promise<RestoreResponse> {
    return (await this.http.json<RestoreResponse>('/api/sync/quarantine/restore', { ...options, method: 'POST', body: { key } })).body;
  }

  // ---- files (the pipeline) ----

  /**
   * POST /api/files (multipart). Resolves with the file and each step's result; `failed_step`
   * is set when a store failed midway (HTTP 207): the analysis reports such a file, repair fixes it.
   */
  async upload(input: UploadInput, options?: CallOptions): Promise<UploadResponse & { partial: boolean }> {
    const form = new FormData();
    form.set('user_id', input.userId);
    const bytes =
      input.file instanceof Blob
        ? input.file
        : new Blob([input.file] as ConstructorParameters<typeof Blob>[0], { type: input.contentType ?? 'application/octet-stream' }); // the DOM lib's BlobPart refuses Uint8Array<ArrayBufferLike>
    form.set('file', bytes, input.fileName);
    const { status, body } = await this.http.json<UploadResponse>('/api/files', { ...options, method: 'POST', body: form });
    return { ...body, partial: status === 207 };
  }

  /** DELETE /api/files/:file_id; `partial` (207) when a step failed: repeat the call to finish it. */
  async deleteFile(fileId: string, options?: CallOptions): Promise<DeleteFileResponse & { partial: boolean }> {
    const { status, body } = await this.http.json<DeleteFileResponse>(`/api/files/${enc(fileId)}`, { ...options, method: 'DELETE' });
    return { ...body, partial: status === 207 };
  }

  /** GET /api/files?user_id=. */
  async files(query: FilesQuery, options?: CallOptions): Promise<FilesResponse> {
    return (await this.http.json<FilesResponse>('/api/files', { ...options, query })).body;
  }

  // ---- events, tokens, feeds ----

  /** POST /api/sync/events: what the backend did to a file itself (202; a check follows after the grace window). */
  async notify(event: FileEventRequest, options?: CallOptions): Promise<FileEventAccepted> {
    return (await this.http.json<FileEventAccepted>('/api/sync/events', { ...options, method: 'POST', body: event })).body;
  }

  /** GET /api/sync/events/stats: the stream's seq, replay buffer use and drops. */
  async eventStats(options?: CallOptions): Promise<EventStatsResponse> {
    return (await this.http.json<EventStatsResponse>('/api/sync/events/stats', options)).body;
  }

  /** POST /api/sync/tokens (admin token): a token that acts for one user only. */
  async issueUserToken(request: IssueTokenRequest, options?: CallOptions): Promise<IssueTokenResponse> {
    return (await this.http.json<IssueTokenResponse>('/api/sync/tokens', { ...options, method: 'POST', body: request })).body;
  }

  /** POST /api/sync/tokens/revoke (admin token): refused from then on, its sockets disconnected (`not_found` when not live). */
  async revokeUserToken(token: string, options?: CallOptions): Promise<RevokeTokenResponse> {
    return (await this.http.json<RevokeTokenResponse>('/api/sync/tokens/revoke', { ...options, method: 'POST', body: { token } })).body;
  }

  // ---- notifications ----

  /** GET /api/notifications/channels (targets without secrets). */
  async notificationChannels(options?: CallOptions): Promise<ChannelsResponse> {
    return (await this.http.json<ChannelsResponse>('/api/notifications/channels', options)).body;
  }

  /** GET /api/notifications/deliveries, newest first. */
  async deliveries(query: DeliveriesQuery = {}, options?: CallOptions): Promise<DeliveriesResponse> {
    return (await this.http.json<DeliveriesResponse>('/api/notifications/deliveries', { ...options, query })).body;
  }

  /** GET /api/notifications/dead-letters. */
  async deadLetters(query: Omit<DeliveriesQuery, 'status'> = {}, options?: CallOptions): Promise<DeliveriesResponse> {
    return (await this.http.json<DeliveriesResponse>('/api/notifications/dead-letters', { ...options, query })).body;
  }

  /** POST /api/notifications/deliveries/:id/retry (`delivery_not_found`, `not_dead_letter`). */
  async retryDelivery(id: string, options?: CallOptions): Promise<NotificationDelivery> {
    return (await this.http.json<NotificationDelivery>(`/api/notifications/deliveries/${enc(id)}/retry`, { ...options, method: 'POST' })).body;
  }

  /** POST /api/notifications/test `{ channel }`: queues a test message (`channel_not_found`). */
  async testNotification(channel: string, options?: CallOptions): Promise<NotificationDelivery> {
    return (await this.http.json<NotificationDelivery>('/api/notifications/test', { ...options, method: 'POST', body: { channel } })).body;
  }

  // ---- adoption ----

  /** GET /api/data-model: the active mapping of the deployment's stores, as the config file spells it. */
  async dataModel(options?: CallOptions): Promise<DataModelResponse> {
    return (await this.http.json<DataModelResponse>('/api/data-model', options)).body;
  }

  /** GET /api/doctor: samples the stores, infers the mapping, proposes a config file and previews an analysis (read-only). */
  async doctor(options?: CallOptions): Promise<Record<string, unknown>> {
    return (await this.http.json<Record<string, unknown>>('/api/doctor', options)).body;
  }

  /** GET /api/sync/me: the token's role, user, expiry and the repairs a user token may ask for. */
  async me(options?: CallOptions): Promise<SessionResponse> {
    return (await this.http.json<SessionResponse>('/api/sync/me', options)).body;
  }

  /** GET /api/feeds/status: each change feed's mode, connection and lag. */
  async feeds(options?: CallOptions): Promise<FeedsResponse> {
    return (await this.http.json<FeedsResponse>('/api/feeds/status', options)).body;
  }

  /** GET /metrics: the Prometheus exposition text (admin token or METRICS_TOKEN). */
  metrics(options?: CallOptions): Promise<string> {
    return this.http.text('/metrics', options);
  }

  // ---- live events ----

  /**
   * A live subscription on `/sync` as this client's token: `{ all: true }` (admin) or
   * `{ userId }`. It reconnects by itself, replays what it missed (`last_seq`), delivers each
   * event once (by `seq`), unpacks `events` bursts and reports `replay.gap`.
   */
  live(target: LiveTarget, options: LiveOptions = {}): LiveSubscription {
    return new LiveSubscription({ baseUrl: this.http.baseUrl, token: () => this.http.token() }, target, options);
  }
}

export { StoreSyncError };
