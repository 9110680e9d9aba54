import { randomUUID } from 'node:crypto';
import { IssueDraft, issueFingerprint } from '@storesync/core';
import { IssueDocument } from './repositories/documents';
import { IssueRepository } from './repositories/issue.repository';

/** Drafts held before a write: big enough to amortise round trips, small in memory. */
const FLUSH_AT = 1000;

/**
 * What a run keeps of an open issue it may find again: enough to compare, touch and
 * resolve it. A million-file scope can have tens of thousands open; whole documents
 * would be several times the size.
 */
export interface KnownIssue extends Pick<IssueDocument, 'id' | 'type' | 'user_id' | 'file_id' | 'first_detected_at'> {
  detailsJson: string;
  /** Found again by this run. */
  seen?: boolean;
}

export interface RecorderOutcome {
  created: number;
  /** Open issues of the scope the run did not find (complete runs only). */
  resolved: KnownIssue[];
  /** Second open issues for one finding (a single-file check and a run recording it at once): closed, the oldest stays. */
  duplicates: KnownIssue[];
}

export const DUPLICATE_RESOLUTION = 'duplicate: the same finding is tracked by an older open issue';

/**
 * Records a full run's findings off the scan's critical path (DESIGN.md: the scan
 * streams; writes must not make it wait per batch). The scope's open issues are read
 * once at the start, so a finding needs no lookup: new ones are inserted in bulk,
 * ones found again are touched in bulk at the end, and the rest are resolved (only
 * after a complete run). One write is in flight at a time, in order.
 */
export class IssueRunRecorder {
  /**
   * Fingerprints of the issues this run created, so a finding met twice is recorded once.
   * Not their ids: node's randomUUID strings take ~470 bytes of heap each until flattened
   * (33 MB for the 70,000 issues of a million-file run).
   */
  private readonly createdFingerprints = new Set<string>();
  private created = 0;
  private buffer: IssueDraft[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failure?: Error;

  private constructor(
    private readonly issues: IssueRepository,
    private readonly runId: string,
    private readonly known: Map<string, KnownIssue>,
    private readonly duplicates: KnownIssue[],
    private readonly onCreated: (issue: IssueDocument) => void,
  ) {}

  static async open(issues: IssueRepository, runId: string, userId: string | null, onCreated: (issue: IssueDocument) => void): Promise<IssueRunRecorder> {
    const known = new Map<string, KnownIssue>();
    const duplicates: KnownIssue[] = [];
    for await (const doc of issues.openInScope(userId)) {
      const issue: KnownIssue = {
        id: doc.id,
        type: doc.type,
        user_id: doc.user_id,
        file_id: doc.file_id,
        first_detected_at: doc.first_detected_at,
        detailsJson: JSON.stringify(doc.details),
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
    return new IssueRunRecorder(issues, runId, known, duplicates, onCreated);
  }

  /** Queues findings; waits only when a full buffer meets a write still in flight. */
  async add(drafts: IssueDraft[]): Promise<void> {
    this.buffer.push(...drafts);
    if (this.buffer.length < FLUSH_AT) return;
    if (this.buffer.length >= 2 * FLUSH_AT) await this.writing;
    this.flush();
  }

  private flush(): void {
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return;
    this.writing = this.writing.then(() => this.write(batch)).catch((error: Error) => {
      this.failure ??= error;
    });
  }

  private async write(drafts: IssueDraft[]): Promise<void> {
    const at = new Date().toISOString();
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
        created.push(newIssue(draft, fingerprint, this.runId, at));
      }
    }
    await this.issues.insertMany(created);
    await this.issues.updateDetails(changed, this.runId, at);
    this.created += created.length;
    created.forEach((issue) => this.onCreated(issue));
  }

  /**
   * Writes what is left, marks the issues found again, and (complete runs only)
   * resolves the open issues of the scope that were not found.
   */
  async finish(partial: boolean, now: Date): Promise<RecorderOutcome> {
    this.flush();
    await this.writing;
    if (this.failure) throw this.failure;
    const at = now.toISOString();
    const again: string[] = [];
    const gone: KnownIssue[] = [];
    for (const issue of this.known.values()) {
      if (issue.seen) again.push(issue.id);
      else gone.push(issue);
    }
    await this.issues.updateMany(again, { last_run_id: this.runId, last_seen_at: at, from_partial_run: partial });
    // Safe even after a partial run: the finding stays open under its older issue.
    await this.issues.updateMany(this.duplicates.map((issue) => issue.id), { status: 'resolved', resolved_at: at, resolution: DUPLICATE_RESOLUTION });
    if (partial) {
      await this.issues.markCreatedByRunPartial(this.runId);
      return { created: this.created, resolved: [], duplicates: this.duplicates };
    }
    await this.issues.updateMany(gone.map((issue) => issue.id), { status: 'resolved', resolved_at: at, resolution: 'not found again' });
    return { created: this.created, resolved: gone, duplicates: this.duplicates };
  }
}

export function newIssue(draft: IssueDraft, fingerprint: string, runId: string, at: string): IssueDocument {
  return {
    id: randomUUID(),
    fingerprint,
    type: draft.type,
    status: 'open',
    user_id: draft.userId,
    file_id: draft.fileId ?? null,
    file_key: draft.fileKey ?? null,
    store: draft.store,
    details: draft.details,
    suggested_action: draft.suggestedAction,
    run_id: runId,
    last_run_id: runId,
    from_partial_run: false,
    first_detected_at: at,
    last_seen_at: at,
    resolved_at: null,
    resolution: null,
  };
}
