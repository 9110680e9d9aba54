import type { IssueType, StoreName } from '@storesync/core';
import type { PlannedAction, RepairActionName } from './repair.types';

/** The fields of an issue the plan needs (an IssueDocument satisfies it). */
export interface PlannableIssue {
  id: string;
  type: IssueType;
  user_id: string;
  file_id: string | null;
  file_key: string | null;
  store: StoreName;
  details: Record<string, unknown>;
  from_partial_run: boolean;
}

interface ActionRule {
  action: RepairActionName;
  destructive: boolean;
}

/** Which action repairs which issue (DESIGN.md issue table). */
export const ACTION_TABLE: Record<IssueType, ActionRule> = {
  missing_vectors: { action: 'reembed', destructive: false },
  stale_vectors: { action: 'reembed', destructive: false },
  orphan_vectors: { action: 'delete_vectors', destructive: true },
  unmapped_vectors: { action: 'delete_unmapped_points', destructive: true },
  orphan_object: { action: 'quarantine_object', destructive: true },
  deletion_incomplete: { action: 'finish_deletion', destructive: true },
  missing_object: { action: 'restore_object', destructive: false },
  checksum_mismatch: { action: 'restore_object', destructive: false },
  size_mismatch: { action: 'fix_size', destructive: false },
  store_unavailable: { action: 'none', destructive: false },
};

export const PARTIAL_RUN_REASON = 'found by a partial run (a store could not be read): run a complete analysis first; a fix refuses it';

/** What an action touches, readable by a person: `s3:<key>`, `qdrant:<file_id>`, `mongodb:<file_id>`. */
export function targetOf(issue: PlannableIssue, action: RepairActionName): string {
  const s3 = `s3:${issue.file_key ?? '?'}`;
  const qdrant = `qdrant:${issue.file_id ?? '?'}`;
  const mongodb = `mongodb:${issue.file_id ?? '?'}`;
  switch (action) {
    case 'reembed':
    case 'delete_vectors':
      return qdrant;
    case 'delete_unmapped_points':
      return `qdrant:points without a file id${issue.user_id ? ` of ${issue.user_id}` : ''}`;
    case 'quarantine_object':
    case 'restore_object':
      return s3;
    case 'fix_size':
      return mongodb;
    case 'finish_deletion':
      return [s3, qdrant, mongodb].join(' ');
    case 'none':
      return `${issue.store}:${issue.file_key ?? issue.file_id ?? '?'}`;
  }
}

/** Items the action removes per store, as the issue recorded them. */
function removals(issue: PlannableIssue, action: RepairActionName): Partial<Record<StoreName, number>> {
  const points = typeof issue.details.points === 'number' ? issue.details.points : 0;
  switch (action) {
    case 'quarantine_object':
      return { s3: 1 };
    case 'delete_vectors':
    case 'delete_unmapped_points':
      return { qdrant: points };
    case 'finish_deletion': {
      const remaining = Array.isArray(issue.details.remaining_in) ? (issue.details.remaining_in as string[]) : [];
      return { ...(remaining.includes('s3') ? { s3: 1 } : {}), ...(points > 0 ? { qdrant: points } : {}) };
    }
    default:
      return {};
  }
}

/**
 * One plan line per issue. `objectHashMatches` is what a point lookup found for a
 * size_mismatch (does the object's SHA-256 equal the metadata's?); when it does not,
 * the object is wrong, not the size, and the line restores it instead.
 */
export function planAction(issue: PlannableIssue, objectHashMatches?: boolean | null): PlannedAction {
  let { action } = ACTION_TABLE[issue.type];
  const { destructive } = ACTION_TABLE[issue.type];
  let reason: string | undefined;
  if (issue.type === 'size_mismatch' && objectHashMatches !== true) {
    action = 'restore_object';
    reason =
      objectHashMatches === false ? undefined : "the metadata has no sha256 (or the object's hash is unknown), so the size cannot be proven; restoring instead";
  }
  if (action === 'none') {
    const store = issue.store;
    reason = `no automatic repair: ${store} could not be read during the check; make sure ${store} is reachable, then run the analysis again`;
  } else if (issue.from_partial_run) {
    reason = PARTIAL_RUN_REASON;
  }
  const skipped = action === 'none' || issue.from_partial_run;
  return {
    issue_id: issue.id,
    type: issue.type,
    action,
    target: targetOf(issue, action),
    destructive,
    user_id: issue.user_id,
    file_id: issue.file_id,
    file_key: issue.file_key,
    result: skipped ? 'skipped' : 'planned',
    ...(reason ? { reason } : {}),
    removes: skipped ? {} : removals(issue, action),
  };
}
