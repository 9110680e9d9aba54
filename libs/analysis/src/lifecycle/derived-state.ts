import type { IssueDocument, ScopeCheckDocument } from '../repositories/documents';

export const GLOBAL_SCOPE = '*';

export function scopeKey(userId: string | null | undefined): string {
  return userId === undefined || userId === null ? GLOBAL_SCOPE : `user:${userId}`;
}

/** The latest complete run of each scope, as far as a reader loaded them. */
export class ScopeChecks {
  private readonly byScope = new Map<string, ScopeCheckDocument>();

  constructor(checks: Iterable<ScopeCheckDocument> = []) {
    for (const check of checks) this.byScope.set(check.id, check);
  }

  /** The checks whose scope covers an issue of this user: the global one and the user's own. */
  covering(userId: string): ScopeCheckDocument[] {
    const out: ScopeCheckDocument[] = [];
    const global = this.byScope.get(GLOBAL_SCOPE);
    if (global) out.push(global);
    const own = this.byScope.get(scopeKey(userId));
    if (own) out.push(own);
    return out;
  }
}

type Stored = Pick<IssueDocument, 'status' | 'run_id' | 'first_detected_at' | 'last_seen_at' | 'last_run_id' | 'from_partial_run'>;

/**
 * The newest complete run that found this open issue again, if it is newer than what the
 * issue stores. A complete run resolves every open issue of its scope it does not find,
 * so an issue still open after it was found by it — if the run knew the issue: it created
 * it, or the issue was detected before the run read its scope's open issues.
 */
export function latestSighting(issue: Stored, checks: readonly ScopeCheckDocument[]): ScopeCheckDocument | null {
  if (issue.status !== 'open') return null;
  let best: ScopeCheckDocument | null = null;
  for (const check of checks) {
    const knew = check.run_id === issue.run_id || issue.first_detected_at < check.snapshot_at;
    if (!knew || check.finished_at <= issue.last_seen_at) continue;
    if (!best || check.finished_at > best.finished_at) best = check;
  }
  return best;
}

/**
 * The issue as the API shows it: last seen by the newest complete run that found it, and
 * no longer "from a partial run" once a complete run read it after the partial sighting.
 */
export function deriveIssue<T extends Stored>(issue: T, checks: readonly ScopeCheckDocument[]): T {
  const seen = latestSighting(issue, checks);
  if (!seen) return issue;
  return {
    ...issue,
    last_run_id: seen.run_id,
    last_seen_at: seen.finished_at,
    // A partial sighting sets last_seen_at: a complete run that read the issue after it confirms the finding.
    from_partial_run: issue.from_partial_run && seen.snapshot_at <= issue.last_seen_at,
  };
}
