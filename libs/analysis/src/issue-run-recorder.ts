import { randomUUID } from 'node:crypto';
import { IssueDraft, issueFingerprint } from '@storesync/core';
import { IssueDocument } from './repositories/documents';
import { IssueRepository } from './repositories/issue.repository';

/** Drafts held before a write: big enough to amortise round trips, small in memory. */
const FLUSH_AT = 1000;

export interface RecorderOutcome {
  created: number;
  resolved: IssueDocument[];
}

/**
 * Records a full run's findings off the scan's critical path (DESIGN.md: the scan
 * streams; writes must not make it wait per batch). The scope's open issues are read
 * once at the start, so a finding needs no lookup: new ones are inserted in bulk,
 * ones found again are touched in bulk at the end, and the rest are resolved (only
 * after a complete run). One write is in flight at a time, in order.
 */
export class IssueRunRecorder {
  private readonly seen = new Set<string>();
  private readonly createdIds: string[] = [];
  private buffer: IssueDraft[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failure?: Error;

  private constructor(
    private readonly issues: IssueRepository,
    private readonly runId: string,
    private readonly known: Map<string, IssueDocument>,
    private readonly onCreated: (issue: IssueDocument) => void,
  ) {}

  static async open(issues: IssueRepository, runId: string, userId: string | null, onCreated: (issue: IssueDocument) => void): Promise<IssueRunRecorder> {
    const open = await issues.openInScope(userId);
    return new IssueRunRecorder(issues, runId, new Map(open.map((doc) => [doc.fingerprint, doc])), onCreated);
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
    const changed: IssueDocument[] = [];
    for (const draft of drafts) {
      const fingerprint = issueFingerprint(draft);
      if (this.seen.has(fingerprint)) continue;
      this.seen.add(fingerprint);
      const previous = this.known.get(fingerprint);
      if (!previous) {
        created.push(newIssue(draft, fingerprint, this.runId, at));
      } else if (JSON.stringify(previous.details) !== JSON.stringify(draft.details)) {
        changed.push({ ...previous, details: draft.details, last_run_id: this.runId, last_seen_at: at });
      }
    }
    await this.issues.insertMany(created);
    await this.issues.replaceMany(changed);
    for (const issue of created) {
      this.createdIds.push(issue.id);
      this.onCreated(issue);
    }
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
    const again = [...this.known.values()].filter((doc) => this.seen.has(doc.fingerprint)).map((doc) => doc.id);
    await this.issues.updateMany(again, { last_run_id: this.runId, last_seen_at: at, from_partial_run: partial });
    if (partial) {
      await this.issues.updateMany(this.createdIds, { from_partial_run: true });
      return { created: this.createdIds.length, resolved: [] };
    }
    const gone = [...this.known.values()].filter((doc) => !this.seen.has(doc.fingerprint));
    await this.issues.updateMany(gone.map((doc) => doc.id), { status: 'resolved', resolved_at: at, resolution: 'not found again' });
    return {
      created: this.createdIds.length,
      resolved: gone.map((doc) => ({ ...doc, status: 'resolved' as const, resolved_at: at, resolution: 'not found again' })),
    };
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
