import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { isStoreUnavailable } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { AnalysisAlreadyRunningError } from './analysis.errors';
import { scopeKey } from './lifecycle/derived-state';
import { IssueLifecycleService, RunIssueRecorder } from './lifecycle/issue-lifecycle.service';
import { emptySummary, RunDocument } from './repositories/documents';
import { RunRepository } from './repositories/run.repository';
import { UserStatusRepository } from './repositories/user-status.repository';
import { RunTally } from './run-tally';
import { FullScan } from './scan/full-scan';
import { SyncRulesProvider } from './sync-rules.provider';

export interface AnalyzeRequest {
  userId?: string;
  deep?: boolean;
  trigger?: string;
  /** Internal callers that know nothing is in flight (the demo seed) may narrow the window. */
  graceSeconds?: number;
}

export interface StartedRun {
  runId: string;
  done: Promise<RunDocument>;
  /** Settles once the run is saved (readable by id), or the run ended without being saved. */
  recorded: Promise<void>;
}

const PROGRESS_INTERVAL_MS = 250;
/** Background attempts of a run's last write (backoff doubling from STORE_TIMEOUT_MS, at most a minute). */
const FINAL_SAVE_ATTEMPTS = 10;

/** Runs full analyses: one at a time per scope, saved in sync_runs, issues with a lifecycle. */
@Injectable()
export class AnalysisService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AnalysisService.name);
  private readonly running = new Map<string, string>();

  constructor(
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly vectors: VectorStore,
    private readonly runs: RunRepository,
    private readonly issues: IssueLifecycleService,
    private readonly users: UserStatusRepository,
    private readonly events: EventPublisher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const abandoned = await this.runs.failAbandoned(new Date()).catch(() => 0);
    if (abandoned > 0) this.logger.warn({ message: 'marked runs left running by a previous process as failed', count: abandoned });
  }

  /** Starts a run; throws AnalysisAlreadyRunningError when the scope is being analysed. */
  /** Removes finished runs started before `before` (SYNC_RUN_RETENTION_DAYS, daily maintenance). */
  pruneRuns(before: Date): Promise<number> {
    return this.runs.prune(before);
  }

  start(request: AnalyzeRequest): StartedRun {
    const key = scopeKey(request.userId);
    const current = this.running.get(key);
    if (current) throw new AnalysisAlreadyRunningError(current);
    const runId = randomUUID();
    this.running.set(key, runId);
    let markRecorded!: () => void;
    const recorded = new Promise<void>((resolve) => (markRecorded = resolve));
    const done = this.execute(runId, key, request, markRecorded).finally(() => {
      this.running.delete(key);
      markRecorded();
    });
    done.catch(() => undefined);
    return { runId, done, recorded };
  }

  private async execute(runId: string, key: string, request: AnalyzeRequest, onRecorded: () => void): Promise<RunDocument> {
    const started = new Date();
    const userId = request.userId ?? null;
    const deep = request.deep ?? false;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.config.sync.timeoutSeconds * 1000);
    const scan = new FullScan(
      { metadata: this.metadata, objects: this.objects, vectors: this.vectors },
      {
        userId: request.userId,
        deep,
        batchSize: this.config.sync.batchSize,
        deepConcurrency: this.config.sync.deepConcurrency,
        rules: { ...SyncRulesProvider.create(this.config), ...(request.graceSeconds !== undefined ? { graceSeconds: request.graceSeconds } : {}) },
        now: started,
        signal: controller.signal,
      },
    );
    const run: RunDocument = {
      id: runId,
      scope: { user_id: userId },
      scope_key: key,
      deep,
      trigger: request.trigger ?? 'api',
      state: 'running',
      started_at: started.toISOString(),
      finished_at: null,
      duration_ms: null,
      partial: false,
      reason: null,
      stores: scan.stores,
      summary: emptySummary(),
      progress: { processed: 0, total_estimate: 0 },
      issues_found: 0,
    };
    try {
      await this.runs.create(run);
      onRecorded();
      // Counted beside the scan: the estimate only feeds progress, the scan need not wait.
      const estimate = scan.estimateTotal().then(
        (total) => {
          run.progress.total_estimate = Math.max(total, run.progress.processed);
        },
        (error: Error) => this.logger.warn({ message: 'could not count files for progress', runId, error: error.message }),
      );
      this.events.publish('analysis.started', { run_id: runId, scope: { user_id: userId }, deep }, { userId });
      // Without a deep hash checksums were not compared: their open issues are not "gone".
      // The scope's open issues are read while the scan loads its points: a big backlog no longer delays the scan.
      const opening = this.issues.openRun(runId, userId, deep ? [] : ['checksum_mismatch']);
      opening.catch(() => undefined);
      const { tally, recorder } = await this.consume(scan, run, opening, controller.signal);
      await estimate;
      run.summary = tally.summary;
      run.issues_found = tally.issuesFound;
      const storeFailed = Object.values(scan.stores).some((s) => !s.ok);
      run.partial = storeFailed || controller.signal.aborted;
      run.reason = controller.signal.aborted ? `timed out after SYNC_TIMEOUT=${this.config.sync.timeoutSeconds}s` : storeFailed ? failedStores(scan) : null;
      run.state = run.partial ? 'partial' : 'completed';
      const finishedAt = new Date();
      await this.users.save(tally.userDocuments(runId, finishedAt.toISOString(), run.partial));
      // Only a complete run may say an issue is gone: a partial one did not look everywhere.
      await recorder.finish(run.partial, finishedAt);
    } catch (error) {
      // The state store (the metadata's server) failed mid-run: not everything the run found
      // could be recorded, which is a partial run, not a failure of the analysis itself.
      const unavailable = isStoreUnavailable(error);
      run.state = unavailable ? 'partial' : 'failed';
      run.partial = true;
      run.reason = (error as Error).message;
      if (unavailable) {
        const failed = scan.stores[error.store];
        failed.ok = false;
        failed.error ??= (error as Error).message;
        run.reason = failedStores(scan);
        this.logger.warn({ message: 'analysis could not record its results', runId, error: (error as Error).message });
      } else this.logger.error({ message: 'analysis failed', runId, error: (error as Error).stack });
    } finally {
      clearTimeout(timer);
    }
    run.finished_at = new Date().toISOString();
    run.duration_ms = Date.parse(run.finished_at) - started.getTime();
    run.stores = scan.stores;
    run.phases = { ...scan.phases, saved_ms: run.duration_ms };
    run.not_checked = { ...scan.notChecked };
    run.ignored_objects = scan.ignoredObjects;
    await this.saveFinished(run);
    this.events.publish(
      'analysis.completed',
      {
        run_id: runId,
        state: run.state,
        partial: run.partial,
        duration_ms: run.duration_ms,
        summary: run.summary,
      },
      { userId },
    );
    this.logger.log({
      message: 'analysis finished',
      runId,
      state: run.state,
      durationMs: run.duration_ms,
      files: run.summary.total_files,
      issues: run.issues_found,
    });
    return run;
  }

  /**
   * The run's last write. While the state store is down it is tried again in the background
   * (the caller and the run lock do not wait), so the run does not stay "running" once the
   * store answers again.
   */
  private async saveFinished(run: RunDocument, attempt = 0): Promise<void> {
    try {
      await this.runs.save(run);
      if (attempt > 0) this.logger.log({ message: 'saved run after the state store came back', runId: run.id, attempt });
    } catch (error) {
      if (attempt >= FINAL_SAVE_ATTEMPTS) {
        this.logger.error({ message: 'could not save run', runId: run.id, error: String(error) });
        return;
      }
      if (attempt === 0) this.logger.warn({ message: 'could not save run, retrying in the background', runId: run.id, error: String(error) });
      const delay = Math.min(60_000, this.config.storeTimeoutMs * 2 ** attempt);
      setTimeout(() => void this.saveFinished(run, attempt + 1), delay).unref();
    }
  }

  private async consume(
    scan: FullScan,
    run: RunDocument,
    opening: Promise<RunIssueRecorder>,
    signal: AbortSignal,
  ): Promise<{ tally: RunTally; recorder: RunIssueRecorder }> {
    const tally = new RunTally();
    let lastProgress = 0;
    // Progress is saved in the background, one write at a time, and settled before the
    // final save so a late progress write can never overwrite the result.
    let progressWrite: Promise<void> | null = null;
    for await (const batch of scan.run()) {
      const drafts = [...batch.orphans];
      const deferred = [...(batch.deferred ?? [])];
      for (const file of batch.files) {
        tally.addFile(file);
        drafts.push(...file.issues);
        deferred.push(...file.deferred);
      }
      batch.orphans.forEach((orphan) => tally.addIssue(orphan));
      await (await opening).add(drafts, deferred);
      run.progress.processed += batch.files.length;
      if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = Date.now();
        this.events.publish('analysis.progress', { run_id: run.id, ...run.progress }, { userId: run.scope.user_id });
        progressWrite ??= this.runs
          .update(run.id, { progress: { ...run.progress }, summary: structuredClone(tally.summary) })
          .catch(() => undefined)
          .finally(() => {
            progressWrite = null;
          });
      }
      if (signal.aborted) break;
    }
    await progressWrite;
    this.events.publish('analysis.progress', { run_id: run.id, ...run.progress }, { userId: run.scope.user_id });
    return { tally, recorder: await opening };
  }
}

function failedStores(scan: FullScan): string {
  return Object.entries(scan.stores)
    .filter(([, s]) => !s.ok)
    .map(([name, s]) => `${name}: ${s.error}`)
    .join('; ');
}
