import { Injectable, Logger } from '@nestjs/common';
import { DeferredDraft, IssueDraft, issueFingerprint, IssueType } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { IssueDocument, RunDocument } from '../repositories/documents';
import { IssueQuery, IssueRepository } from '../repositories/issue.repository';
import { ScopeCheckRepository } from '../repositories/scope-check.repository';
import { deriveIssue, ScopeChecks, scopeKey } from './derived-state';
import { DUPLICATE_RESOLUTION, IssueRunRecorder, NOT_FOUND_AGAIN, RecorderOutcome } from './issue-run-recorder';
import { newIssue } from './new-issue';

/** What one full run records through: findings as they stream, then the end of the run. */
export interface RunIssueRecorder {
  add(drafts: IssueDraft[], deferred?: DeferredDraft[]): Promise<void>;
  finish(partial: boolean, now: Date): Promise<RecorderOutcome>;
}

export const FILE_CHECK_RESOLUTION = 'not found by a file check';
export const CHECKSUM_VERIFIED_RESOLUTION = 'the object bytes match the metadata sha256 again (scrubber)';

/**
 * The issue lifecycle, one home: how findings become issues (created, found again,
 * deferred, resolved), read back with their derived state, and announced as events.
 * Full runs, single-file checks, repairs and the HTTP layer all go through it; the
 * repositories behind it are private to the analysis module.
 */
@Injectable()
export class IssueLifecycleService {
  private readonly logger = new Logger(IssueLifecycleService.name);

  constructor(
    private readonly issues: IssueRepository,
    private readonly checks: ScopeCheckRepository,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Opens the recorder of a full run of a scope (a user, or all users when null).
   * `unchecked`: issue types the run cannot see (checksum_mismatch without a deep hash),
   * which it must therefore not resolve.
   */
  async openRun(runId: string, userId: string | null, unchecked: readonly IssueType[] = []): Promise<RunIssueRecorder> {
    const recorder = await IssueRunRecorder.open(this.issues, await this.checks.all(), runId, userId, (issue) => this.emitDetected(issue), new Set(unchecked));
    const scope = scopeKey(userId);
    return {
      add: (drafts, deferred) => recorder.add(drafts, deferred),
      finish: async (partial, now) => {
        const outcome = await recorder.finish(partial, scope, now, (check) => this.checks.save(check));
        outcome.resolved.forEach((issue) => this.emitResolved(issue, NOT_FOUND_AGAIN));
        outcome.duplicates.forEach((issue) => this.emitResolved(issue, DUPLICATE_RESOLUTION));
        return outcome;
      },
    };
  }

  /**
   * Records a single-file check: known open issues are touched, new ones created, the
   * file's open issues it did not find resolved (complete checks only) or, when the
   * grace window withheld them, kept open as deferred. Returns the file's issues found.
   */
  async recordFileCheck(
    fileId: string,
    found: { issues: IssueDraft[]; deferred: DeferredDraft[] },
    runId: string,
    partial: boolean,
    now: Date,
    unchecked: readonly IssueType[] = [],
  ): Promise<IssueDocument[]> {
    const at = now.toISOString();
    const drafts = new Map(found.issues.map((d) => [issueFingerprint(d), d]));
    const existing = new Map((await this.issues.openByFingerprints([...drafts.keys()])).map((doc) => [doc.fingerprint, doc]));
    const all: IssueDocument[] = [];
    const created: IssueDocument[] = [];
    for (const [fingerprint, draft] of drafts) {
      const previous = existing.get(fingerprint);
      if (previous) {
        const touched = {
          details: draft.details,
          last_run_id: runId,
          last_seen_at: at,
          from_partial_run: partial,
          user_id: draft.userId,
          deferred_until: null,
        };
        await this.issues.update(previous.id, touched);
        all.push({ ...previous, ...touched });
      } else {
        const doc = { ...newIssue(draft, fingerprint, runId, at), from_partial_run: partial };
        created.push(doc);
        all.push(doc);
      }
    }
    await this.issues.insertMany(created);
    created.forEach((issue) => this.emitDetected(issue));
    if (!partial) {
      const deferred = new Map(found.deferred.map((d) => [issueFingerprint(d), d.deferredUntil.toISOString()]));
      const gone: IssueDocument[] = [];
      for (const open of await this.issues.openForFiles([fileId])) {
        if (drafts.has(open.fingerprint) || unchecked.includes(open.type)) continue;
        const until = deferred.get(open.fingerprint);
        if (until) {
          if (open.deferred_until !== until) await this.issues.update(open.id, { deferred_until: until });
        } else {
          gone.push(open);
        }
      }
      await this.resolve(gone, FILE_CHECK_RESOLUTION, now);
    }
    return all;
  }

  /**
   * Records a checksum check of some files (the scrubber), touching no other issue type:
   * each mismatch found becomes, or stays, an open checksum_mismatch issue; the files
   * whose bytes matched get theirs resolved. Writes only what changed.
   */
  async recordChecksums(found: IssueDraft[], matchedFileIds: string[], runId: string, now: Date): Promise<{ created: number; resolved: number }> {
    const at = now.toISOString();
    const drafts = new Map(found.filter((d) => d.type === 'checksum_mismatch').map((d) => [issueFingerprint(d), d]));
    const existing = new Map((await this.issues.openByFingerprints([...drafts.keys()])).map((doc) => [doc.fingerprint, doc]));
    const created: IssueDocument[] = [];
    for (const [fingerprint, draft] of drafts) {
      const previous = existing.get(fingerprint);
      if (!previous) created.push(newIssue(draft, fingerprint, runId, at));
      else await this.issues.update(previous.id, { details: draft.details, last_run_id: runId, last_seen_at: at, deferred_until: null });
    }
    await this.issues.insertMany(created);
    created.forEach((issue) => this.emitDetected(issue));
    const fixed = matchedFileIds.length === 0 ? [] : (await this.issues.openForFiles(matchedFileIds)).filter((issue) => issue.type === 'checksum_mismatch');
    const resolved = await this.resolve(fixed, CHECKSUM_VERIFIED_RESOLUTION, now);
    return { created: created.length, resolved };
  }

  /**
   * Resolves open issues (a repair that fixed them, a check that no longer finds them),
   * keeping their derived last sighting; issues resolved meanwhile stay as they were.
   * Returns how many were open and are now resolved.
   */
  async resolve(issues: IssueDocument[], resolution: string, now = new Date()): Promise<number> {
    const open = issues.filter((issue) => issue.status === 'open');
    if (open.length === 0) return 0;
    const checks = await this.checks.forUsers(open.map((issue) => issue.user_id));
    const at = now.toISOString();
    // Each keeps its derived last sighting (stored once resolved); the move is one bulk write for all.
    const resolved = await this.issues.resolveDocs(
      open.map((issue) => ({ ...deriveIssue(issue, checks.covering(issue.user_id)), resolved_at: at, resolution, deferred_until: null })),
    );
    resolved.forEach((issue) => this.emitResolved(issue, resolution));
    return resolved.length;
  }

  async get(id: string): Promise<IssueDocument | null> {
    const issue = await this.issues.get(id);
    return issue && (await this.derive([issue]))[0];
  }

  /** Several issues by id; absent ids are left out. */
  async getMany(ids: string[]): Promise<Map<string, IssueDocument>> {
    const found = await this.issues.getMany(ids);
    const derived = await this.derive([...found.values()]);
    return new Map(derived.map((issue) => [issue.id, issue]));
  }

  /** Keyset-paged, oldest detection first. */
  async list(query: IssueQuery, limit: number, after?: { value: string; id: string }): Promise<IssueDocument[]> {
    return this.derive(await this.issues.list(query, limit, after));
  }

  /** Every matching issue, one cursor (exports, the bench's scoring). */
  async *stream(query: IssueQuery): AsyncIterable<IssueDocument> {
    const checks = await this.checks.all();
    for await (const issue of this.issues.stream(query)) yield deriveIssue(issue, checks.covering(issue.user_id));
  }

  /**
   * The issues a run found that are still open with it as their latest sighting: for a
   * complete run, what it found; for a partial run, what it found first (issues it found
   * again keep the latest complete run as theirs).
   */
  async *foundBy(run: Pick<RunDocument, 'id' | 'scope'>): AsyncIterable<IssueDocument> {
    const query: IssueQuery = { status: 'open', ...(run.scope.user_id !== null ? { userId: run.scope.user_id } : {}) };
    for await (const issue of this.stream(query)) if (issue.last_run_id === run.id) yield issue;
  }

  /** Ids of the open issues that only a partial run has seen (safety rule 1), in one read. */
  async openFromPartialRunsIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    const checks = await this.checks.all();
    for await (const issue of this.issues.openFromPartialRuns()) {
      if (deriveIssue(issue, checks.covering(issue.user_id)).from_partial_run) ids.add(issue.id);
    }
    return ids;
  }

  count(query: IssueQuery): Promise<number> {
    return this.issues.count(query);
  }

  async openForFiles(fileIds: string[]): Promise<IssueDocument[]> {
    return this.derive(await this.issues.openForFiles(fileIds));
  }

  private async derive(issues: IssueDocument[]): Promise<IssueDocument[]> {
    if (!issues.some((issue) => issue.status === 'open')) return issues;
    const checks: ScopeChecks = await this.checks.forUsers(issues.map((issue) => issue.user_id));
    return issues.map((issue) => deriveIssue(issue, checks.covering(issue.user_id)));
  }

  private emitDetected(issue: IssueDocument): void {
    this.publishSafely(() =>
      this.events.publish(
        'sync.issue.detected',
        { issue_id: issue.id, type: issue.type, store: issue.store, file_key: issue.file_key ?? undefined, suggested_action: issue.suggested_action },
        { userId: issue.user_id, fileId: issue.file_id ?? undefined },
      ),
    );
  }

  private emitResolved(issue: Pick<IssueDocument, 'id' | 'type' | 'user_id' | 'file_id'>, reason: string): void {
    this.publishSafely(() =>
      this.events.publish(
        'sync.issue.resolved',
        { issue_id: issue.id, type: issue.type, reason },
        { userId: issue.user_id, fileId: issue.file_id ?? undefined },
      ),
    );
  }

  /** A listener that throws must not fail the run that found the issue. */
  private publishSafely(publish: () => unknown): void {
    try {
      publish();
    } catch (error) {
      this.logger.warn({ message: 'an event listener failed', error: (error as Error).message });
    }
  }
}
