import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { IssueLifecycleService } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';
import { checksumMismatchDraft, FileRecord, IssueDraft, isStoreUnavailable } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { LockLease, RunLock } from '@storesync/scheduling';
import { MetadataStore, ObjectStore } from '@storesync/storage';
import { BytePacer } from './byte-pacer';
import { hashObject, ObjectVerdict } from './object-verifier';
import { runScrubPipeline } from './scrub-pipeline';
import { ScrubBatch, ScrubQueue, ScrubTarget } from './scrub-queue';
import { ScrubFileDocument, ScrubPositionDocument, ScrubRunDocument, ScrubStateRepository } from './scrub-state.repository';
import { ScrubRunningError } from './scrub.errors';

export const SCRUB_LOCK = 'scrub';
const PROGRESS_INTERVAL_MS = 1000;
/** Batches read ahead of the oldest not yet recorded (the state writes trail the reads by up to this many). */
const RECORD_WINDOW = 3;

export interface StartedScrub {
  runId: string;
  done: Promise<ScrubRunDocument>;
}

/** A batch's outcome, ready to record. */
interface BatchResult {
  findings: IssueDraft[];
  matched: string[];
  records: ScrubFileDocument[];
  /** Every due file got an answer (none aborted or unanswered): the position may move past the batch. */
  complete: boolean;
  unavailable?: string;
  bytes: number;
}

/**
 * Runs the checksum scrubber: reads object bytes in the queue's order (never verified,
 * then least recently verified), within a time budget and a byte rate, one run at a time
 * across instances (the run lock). Findings go through the analysis module's issue
 * lifecycle like any check's; a store that does not answer stops the run as partial and
 * is never a mismatch. The reads are one stream across batches (runScrubPipeline); each
 * batch's per-file state is two bulk writes and its position one, behind the reads.
 */
@Injectable()
export class ScrubberService implements OnApplicationShutdown {
  private readonly logger = new Logger(ScrubberService.name);
  private current?: { run: ScrubRunDocument; controller: AbortController; done: Promise<ScrubRunDocument> };
  /** The progress save in flight: settled before the final save, so a late one never overwrites the result. */
  private progressWrite: Promise<void> | null = null;

  constructor(
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly state: ScrubStateRepository,
    private readonly issues: IssueLifecycleService,
    private readonly lock: RunLock,
    private readonly events: EventPublisher,
    private readonly config: AppConfig,
  ) {}

  /** The run going on this instance, as it stands. */
  get running(): ScrubRunDocument | null {
    return this.current ? { ...this.current.run } : null;
  }

  /** Starts a run; ScrubRunningError when one is going here or on another instance. */
  async start(trigger: ScrubRunDocument['trigger']): Promise<StartedScrub> {
    if (this.current) throw new ScrubRunningError(this.current.run.id);
    const budgetMs = this.config.scrub.timeBudgetSeconds * 1000;
    // The lease outlives the run's budget plus a stalled last read, then frees itself.
    const lease = await this.lock.acquire(SCRUB_LOCK, budgetMs + 2 * this.config.storeTimeoutMs + 60_000);
    if (!lease) throw new ScrubRunningError(null);
    if (this.current) {
      await lease.release();
      throw new ScrubRunningError((this.current as { run: ScrubRunDocument }).run.id);
    }
    const started = new Date();
    const run: ScrubRunDocument = {
      id: randomUUID(),
      trigger,
      state: 'running',
      stopped: null,
      reason: null,
      started_at: started.toISOString(),
      finished_at: null,
      duration_ms: null,
      files_verified: 0,
      bytes_verified: 0,
      mismatches: 0,
      missing: 0,
      bytes_per_second: 0,
      position: { phase: 'sweep', cursor: null },
    };
    const controller = new AbortController();
    const slot = { run, controller, done: Promise.resolve(run) };
    this.current = slot;
    // Where the last run stopped is read while the run document is written: one round trip before the first read, not two.
    const resume = Promise.all([this.state.position(), this.state.oldest(1)]);
    resume.catch(() => undefined);
    try {
      await this.state.createRun(run);
    } catch (error) {
      this.current = undefined;
      await lease.release().catch(() => undefined);
      throw error;
    }
    slot.done = this.execute(run, controller, lease, started, resume).finally(() => {
      if (this.current === slot) this.current = undefined;
    });
    slot.done.catch(() => undefined);
    return { runId: run.id, done: slot.done };
  }

  async onApplicationShutdown(): Promise<void> {
    this.current?.controller.abort();
    await this.current?.done.catch(() => undefined);
  }

  private async execute(
    run: ScrubRunDocument,
    controller: AbortController,
    lease: LockLease,
    started: Date,
    resume: Promise<[ScrubPositionDocument, ScrubFileDocument[]]>,
  ): Promise<ScrubRunDocument> {
    const { timeBudgetSeconds, bytesPerSecond } = this.config.scrub;
    const budget = setTimeout(() => controller.abort(), timeBudgetSeconds * 1000);
    const signal = controller.signal;
    this.events.publish('scrub.started', { run_id: run.id, trigger: run.trigger }, { userId: null });
    let lastProgress = Date.now();
    try {
      const [position, [oldest]] = await resume;
      if (ScrubQueue.restartSweepIfCycled(position, oldest?.checked_at ?? null)) await this.state.savePosition(position);
      run.position = { phase: position.phase, cursor: position.sweep.cursor };
      const queue = new ScrubQueue(this.metadata, this.state, started, this.config.sync.graceSeconds * 1000);
      const pacer = new BytePacer(bytesPerSecond);
      const stallMs = this.config.storeTimeoutMs;
      // Once a batch is cut short, later batches are still recorded but never move the position past it.
      let held = false;
      await runScrubPipeline(
        queue.batches(position)[Symbol.asyncIterator](),
        { concurrency: this.config.scrub.concurrency, signal, window: RECORD_WINDOW },
        {
          hash: (file) => hashObject(this.objects, file.fileKey, pacer, signal, stallMs),
          judge: (batch, verdicts) => this.judge(batch, verdicts),
          record: async (batch, result) => {
            await this.record(batch, result, run);
            if (result.complete && !held) {
              batch.advance(position);
              await this.state.savePosition(position);
              run.position = { phase: batch.phase, cursor: batch.cursor };
            } else {
              // Stopped inside this batch: the next run starts it again from the last saved cursor.
              held = true;
              run.position = { ...run.position, phase: batch.phase };
            }
            if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
              lastProgress = Date.now();
              this.progress(run, started);
            }
            if (!result.unavailable) return true;
            run.stopped = 'store_unavailable';
            run.reason ??= result.unavailable;
            return false;
          },
        },
      );
      run.stopped ??= signal.aborted ? 'time_budget' : 'done';
      run.state = run.stopped === 'store_unavailable' ? 'partial' : 'completed';
    } catch (error) {
      if (isStoreUnavailable(error)) {
        run.state = 'partial';
        run.stopped = 'store_unavailable';
        run.reason = error.message;
      } else {
        run.state = 'failed';
        run.stopped = 'failed';
        run.reason = (error as Error).message;
        this.logger.error({ message: 'scrubber run failed', runId: run.id, error: (error as Error).stack });
      }
    } finally {
      clearTimeout(budget);
      await lease.release().catch((error) => this.logger.warn({ message: 'could not release the scrub lock', error: (error as Error).message }));
    }
    const finished = new Date();
    run.finished_at = finished.toISOString();
    run.duration_ms = finished.getTime() - started.getTime();
    run.bytes_per_second = rate(run.bytes_verified, run.duration_ms);
    await this.progressWrite;
    await this.state.saveRun(run).catch((error) => this.logger.error({ message: 'could not save the scrub run', runId: run.id, error: String(error) }));
    this.progress(run, started);
    this.events.publish(
      'scrub.completed',
      {
        run_id: run.id,
        state: run.state,
        stopped: run.stopped,
        files_verified: run.files_verified,
        bytes_verified: run.bytes_verified,
        mismatches: run.mismatches,
        duration_ms: run.duration_ms,
      },
      { userId: null },
    );
    this.logger.log({
      message: 'scrubber run finished',
      runId: run.id,
      state: run.state,
      stopped: run.stopped,
      files: run.files_verified,
      bytes: run.bytes_verified,
    });
    return run;
  }

  /** A batch's verdicts as records and findings; a mismatch is confirmed against the stores before it is one. */
  private async judge(batch: ScrubBatch, verdicts: (ObjectVerdict | undefined)[]): Promise<BatchResult> {
    const at = new Date().toISOString();
    const result: BatchResult = { findings: [], matched: [], records: [], complete: true, bytes: 0 };
    for (const file of batch.notCheckable)
      result.records.push({
        id: file.fileId,
        checked_at: at,
        outcome: 'not_checkable',
        sha256: file.sha256 ?? null,
        bytes: 0,
        file_key: file.fileKey,
        user_id: file.userId,
      });
    for (const [i, file] of batch.due.entries()) {
      const verdict = verdicts[i];
      if (!verdict || verdict.kind === 'aborted' || verdict.kind === 'unavailable') {
        result.complete = false;
        if (verdict?.kind === 'unavailable') result.unavailable ??= verdict.error;
        continue;
      }
      const done = new Date().toISOString();
      if (verdict.kind === 'missing') {
        // Not the scrubber's finding: the analysis reports missing_object with its grace rules.
        result.records.push({ id: file.fileId, checked_at: done, outcome: 'missing', sha256: file.sha256 ?? null, bytes: 0, ...where(file) });
        continue;
      }
      result.bytes += verdict.bytes;
      if (verdict.sha256 === file.sha256) {
        result.matched.push(file.fileId);
        result.records.push({ id: file.fileId, checked_at: done, outcome: 'verified', sha256: file.sha256, bytes: verdict.bytes, ...where(file) });
        continue;
      }
      const confirmed = await this.confirmMismatch(file);
      if (confirmed === 'unavailable') {
        result.complete = false;
        result.unavailable ??= 'the stores could not confirm a mismatch';
      } else if (confirmed) {
        result.findings.push(checksumMismatchDraft(confirmed, verdict.sha256));
        result.records.push({
          id: file.fileId,
          checked_at: done,
          outcome: 'mismatch',
          sha256: confirmed.sha256 ?? null,
          bytes: verdict.bytes,
          ...where(confirmed),
        });
      } else {
        // Rewritten while it was read: its new content is a change, found and verified later.
        result.complete = false;
      }
    }
    return result;
  }

  /**
   * A mismatch is reported only if the file did not change under the read: its metadata
   * still says the same sha256 and neither side was written inside the grace window.
   */
  private async confirmMismatch(file: ScrubTarget): Promise<FileRecord | null | 'unavailable'> {
    try {
      const now = Date.now();
      const graceMs = this.config.sync.graceSeconds * 1000;
      const record = await this.metadata.getByFileId(file.fileId);
      if (!record || !record.isActive || record.sha256 !== file.sha256 || now - record.updatedAt.getTime() < graceMs) return null;
      const object = await this.objects.head(record.fileKey);
      if (!object || now - object.lastModified.getTime() < graceMs) return null;
      return record;
    } catch (error) {
      if (isStoreUnavailable(error)) return 'unavailable';
      throw error;
    }
  }

  /** Findings first, then the per-file records: a crash between them re-verifies, never forgets a finding. */
  private async record(batch: ScrubBatch, result: BatchResult, run: ScrubRunDocument): Promise<void> {
    const issues = () =>
      result.findings.length > 0 || result.matched.length > 0
        ? this.issues.recordChecksums(result.findings, result.matched, `scrub:${run.id}`, new Date())
        : Promise.resolve();
    if (result.findings.length > 0) {
      await issues();
      await this.state.recordFiles(result.records, batch.gone);
    } else {
      // Nothing found, only resolutions: a crash between the two leaves an issue open until the file's next
      // check, never a finding forgotten, so both writes go at once.
      await Promise.all([issues(), this.state.recordFiles(result.records, batch.gone)]);
    }
    run.files_verified += result.records.filter((r) => r.outcome === 'verified' || r.outcome === 'mismatch').length;
    run.mismatches += result.findings.length;
    run.missing += result.records.filter((r) => r.outcome === 'missing').length;
    run.bytes_verified += result.bytes;
  }

  private progress(run: ScrubRunDocument, started: Date): void {
    run.bytes_per_second = rate(run.bytes_verified, Date.now() - started.getTime());
    this.events.publish(
      'scrub.progress',
      {
        run_id: run.id,
        files_verified: run.files_verified,
        bytes_verified: run.bytes_verified,
        mismatches: run.mismatches,
        bytes_per_second: run.bytes_per_second,
      },
      { userId: null },
    );
    if (run.state !== 'running' || this.progressWrite) return;
    this.progressWrite = this.state
      .saveRun({ ...run, position: { ...run.position } })
      .catch(() => undefined)
      .finally(() => {
        this.progressWrite = null;
      });
  }
}

function where(file: ScrubTarget): Pick<ScrubFileDocument, 'file_key' | 'user_id'> {
  return { file_key: file.fileKey, user_id: file.userId };
}

function rate(bytes: number, ms: number): number {
  return ms > 0 ? Math.round((bytes * 1000) / ms) : 0;
}
