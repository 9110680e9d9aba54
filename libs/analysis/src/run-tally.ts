import { FileCheck, IssueDraft, SyncStatus, worstStatus } from '@storesync/core';
import { emptySummary, RunSummary, UserStatusDocument } from './repositories/documents';

type Counts = Omit<RunSummary, 'issues_by_type'>;

/** Adds up a run's results as they stream: the run summary and one tally per user. */
export class RunTally {
  readonly summary: RunSummary = emptySummary();
  private readonly users = new Map<string, Counts>();
  issuesFound = 0;

  addFile(check: FileCheck): void {
    // A file whose deletion finished is gone from every store: nothing to report.
    if (!check.isActive && check.issues.length === 0) return;
    this.bump(this.summary, check.status);
    let user = this.users.get(check.userId);
    if (!user) {
      user = { total_files: 0, synced: 0, out_of_sync: 0, missing: 0, error: 0 };
      this.users.set(check.userId, user);
    }
    this.bump(user, check.status);
    check.issues.forEach((issue) => this.addIssue(issue));
  }

  addIssue(issue: IssueDraft): void {
    this.issuesFound += 1;
    this.summary.issues_by_type[issue.type] = (this.summary.issues_by_type[issue.type] ?? 0) + 1;
  }

  private bump(counts: Counts, status: SyncStatus): void {
    counts.total_files += 1;
    counts[status] += 1;
  }

  userDocuments(runId: string, at: string, partial: boolean): UserStatusDocument[] {
    return [...this.users].map(([userId, c]) => ({
      id: userId,
      user_id: userId,
      status: worstStatus((['synced', 'out_of_sync', 'missing', 'error'] as SyncStatus[]).filter((s) => c[s] > 0)),
      ...c,
      last_checked_at: at,
      run_id: runId,
      partial,
    }));
  }
}
