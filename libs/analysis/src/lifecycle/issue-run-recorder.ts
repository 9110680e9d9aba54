import { DeferredDraft, IssueDraft, issueFingerprint, IssueType } from '@storesync/core';
import { IssueDocument, ScopeCheckDocument } from '../repositories/documents';
import { IssueRepository, ResolutionFields } from '../repositories/issue.repository';
import { deriveIssue, latestSighting, ScopeChecks } from './derived-state';
import { newIssue } from './new-issue';

/** Drafts held before a write: big enough to amortise round trips, small in memory. */
const FLUSH_AT = 1000;

/**
 * What a run keeps of an open issue it may find again: enough to compare, resolve or
 * defer it. A million-file scope can have tens of thousands open; whole documents would
 * be several times the size.
 */
export interface KnownIssue extends Pick<IssueDocument, 'id' | 'type' | 'user_id' | 'file_id' | 'first_detected_at'> {
  detailsJson: string;
  /** The complete run that saw it last when that is newer than what the issue stores (shared, not copied). */
  sighting: ScopeCheckDocument | null;
  /** from_partial_run as derived with the sighting (kept when it is resolved). */
  partial: boolean;
  deferredUntil: string | null;
  /** Found again by this run. */
  seen?: boolean;
  /** Withheld by the grace window in this run, until then. */
  deferNow?: string;
}

export interface RecorderOutcome {
  created: number;
  /** Open issues of the scope the run did not find (complete runs only). */
  resolved: KnownIssue[];
  /** Second open issues for one finding (a single-file check and a run recording it at once): closed, the oldest stays. */
  duplicates: KnownIssue[];
  /** Open issues whose file went into the grace window: kept open, marked deferred. */
  deferred: number;
}

export const DUPLICATE_RESOLUTION = 'duplicate: the same finding is tracked by an older open issue';
export const NOT_FOUND_AGAIN = 'not found again';

/**
 * Records a full run's findings off the scan's critical path (DESIGN.md: the scan
 * streams; writes must not make it wait per batch). The scope's open issues are read
 * once at the start, so a finding needs no lookup. Writes are what changed: new issues
 * inserted in bulk, changed details, deferrals, and (complete runs only) the open issues
 * not found resolved. An issue found again is not written at all: the scope check saved
 * at the end says that this run saw it (derived-state.ts). One write in flight, in order.
 */
export class IssueRunRecorder {
  /**
   * Fingerprints of the issues this run created, so a finding met twice is recorded once.
   * Not their ids: node's randomUUID strings take ~470 bytes of heap each until flattened.
   */
  private readonly createdFingerprints = new Set<string>();
  private created = 0;
  private buffer: IssueDraft[] = [];
  private knownPartial = false;
  private writing: Promise<void> = Promise.resolve();
  private failure?: Error;

  private constructor(
    private readonly issues: IssueRepository,
    private readonly runId: string,
    private readonly snapshotAt: string,
    private readonly known: Map<string, KnownIssue>,
    private readonly duplicates: KnownIssue[],
    private readonly onCreated: (issue: IssueDocument) => void,
    private readonly unchecked: ReadonlySet<IssueType>,
  ) {}

  static async open(
    issues: IssueRepository,
    checks: ScopeChecks,
    runId: string,
    userId: string | null,
    onCreated: (issue: IssueDocument) => void,
    unchecked: ReadonlySet<IssueType> = new Set(),
  ): Promise<IssueRunRecorder> {
    const snapshotAt = new Date().toISOString();
    const known = new Map<string, KnownIssue>();
    const duplicates: KnownIssue[] = [];
    for await (const doc of issues.openInScope(userId)) {
      const covering = checks.covering(doc.user_id);
      const issue: KnownIssue = {
        id: doc.id,
        type: doc.type,
        user_id: doc.user_id,
        file_id: doc.file_id,
        first_detected_at: doc.first_detected_at,
        detailsJson: JSON.stringify(doc.details),
        sighting: latestSighting(doc, covering),
        partial: deriveIssue(doc, covering).from_partial_run,
        deferredUntil: doc.deferred_until ?? null,
      };
      const other = known.get(doc.fingerprint);
      // Two open issues for one finding: keep the first detected (its id is what people saw first).
      if (other && other.first_detected_at <= issue.first_detected_at) {
        duplicates.push(issue);
      } else {
        if (other) duplicates.push(other);
        known.set(doc.fingerprint, issue);
      }
    }
    return new IssueRunRecorder(issues, runId, snapshotAt, known, duplicates, onCreated, unchecked);
  }

  /** Queues findings; waits only when a full buffer meets a write still in flight. */
  async add(drafts: IssueDraft[], deferred: DeferredDraft[] = []): Promise<void> {
    for (const draft of deferred) {
      const issue = this.known.get(issueFingerprint(draft));
      if (issue) issue.deferNow = draft.deferredUntil.toISOString();
    }
    this.buffer.push(...drafts);
    if (this.buffer.length < FLUSH_AT) return;
    if (this.buffer.length >= 2 * FLUSH_AT) await this.writing;
    this.flush();
  }

  private flush(): void {
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return;
    this.writing = this.writing
      .then(() => this.write(batch))
      .catch((error: Error) => {
        this.failure ??= error;
      });
  }

  private async write(drafts: IssueDraft[]): Promise<void> {
    const at = new Date().toISOString();
    // A store failed: the run will be partial, so its issues are created marked (FerretDB v1
    // would update thousands one by one in finish(), keeping a run on a hung store waiting).
    this.knownPartial ||= drafts.some((draft) => draft.type === 'store_unavailable');
    const created: IssueDocument[] = [];
    const changed: { id: string; details: Record<string, unknown> }[] = [];
    for (const draft of drafts) {
      const fingerprint = issueFingerprint(draft);
      const previous = this.known.get(fingerprint);
      if (previous) {
        if (previous.seen) continue;
        previous.seen = true;
        if (previous.detailsJson !== JSON.stringify(draft.details)) changed.push({ id: previous.id, details: draft.details });
      } else if (!this.createdFingerprints.has(fingerprint)) {
        this.createdFingerprints.add(fingerprint);
        created.push({ ...newIssue(draft, fingerprint, this.runId, at), from_partial_run: this.knownPartial });
      }
    }
    await this.issues.insertMany(created);
    // Rare (a size that changed again): one write each, the sighting stored with it.
    for (const { id, details } of changed) await this.issues.update(id, { details, last_run_id: this.runId, last_seen_at: at });
    this.created += created.length;
    created.forEach((issue) => this.onCreated(issue));
  }

  /**
   * Writes what is left and what changed: deferrals and their end, duplicates closed,
   * (complete runs only) the open issues not found resolved, then the scope check that
   * stands for every issue found again. Returns the scope check to save last.
   */
  async finish(partial: boolean, scope: string, now: Date, saveCheck: (check: ScopeCheckDocument) => Promise<void>): Promise<RecorderOutcome> {
    this.flush();
    await this.writing;
    if (this.failure) throw this.failure;
    const at = now.toISOString();
    const gone: KnownIssue[] = [];
    const undeferred: string[] = [];
    const deferrals: KnownIssue[] = [];
    for (const issue of this.known.values()) {
      if (issue.seen) {
        if (issue.deferredUntil) undeferred.push(issue.id);
      } else if (issue.deferNow) {
        if (issue.deferNow !== issue.deferredUntil) deferrals.push(issue);
      } else if (!this.unchecked.has(issue.type)) {
        // A type the run could not see (checksums without a deep hash) is not gone: it stays open.
        gone.push(issue);
      }
    }
    await this.issues.updateMany(undeferred, { deferred_until: null });
    // Each deferral has its own end: one write each, only when it starts or moves.
    for (const issue of deferrals) await this.issues.update(issue.id, { deferred_until: issue.deferNow! });
    // Safe even after a partial run: the finding stays open under its older issue.
    await this.resolveAll(this.duplicates, DUPLICATE_RESOLUTION, at);
    if (partial) {
      await this.issues.markCreatedByRunPartial(this.runId);
      return { created: this.created, resolved: [], duplicates: this.duplicates, deferred: deferrals.length };
    }
    await this.resolveAll(gone, NOT_FOUND_AGAIN, at);
    // Last: once saved, every open issue this run knew reads as seen by it.
    await saveCheck({ id: scope, run_id: this.runId, snapshot_at: this.snapshotAt, finished_at: at });
    return { created: this.created, resolved: gone, duplicates: this.duplicates, deferred: deferrals.length };
  }

  /** Resolves in bulk, keeping the last sighting a complete run made (it stops being derived once resolved). */
  private async resolveAll(issues: KnownIssue[], resolution: string, at: string): Promise<void> {
    // Few groups: the issues no complete run saw, and one per (scope check, partial flag).
    const groups = new Map<string, { sighting: ScopeCheckDocument | null; partial: boolean; ids: string[] }>();
    for (const issue of issues) {
      const key = issue.sighting ? `${issue.sighting.id}\u0000${issue.partial}` : '';
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { sighting: issue.sighting, partial: issue.partial, ids: [] }));
      group.ids.push(issue.id);
    }
    for (const { sighting, partial, ids } of groups.values()) {
      const fields: ResolutionFields = { resolved_at: at, resolution, deferred_until: null };
      if (sighting) Object.assign(fields, { last_run_id: sighting.run_id, last_seen_at: sighting.finished_at, from_partial_run: partial });
      await this.issues.resolveIds(ids, fields);
    }
  }
}
