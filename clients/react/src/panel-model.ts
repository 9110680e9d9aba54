// What the panel says and offers, as plain functions (no React): words for statuses and
// issues, which repair a user may ask for, which events change what it shows.
import type { DisplayStatus, FileStatus, Issue, IssueType, RepairActionName, Store, SyncEvent } from './wire';

export const STATUS_WORDS: Record<DisplayStatus, string> = {
  synced: 'Synced',
  out_of_sync: 'Out of sync',
  missing: 'Missing',
  error: 'Could not check',
  unchecked: 'Not checked yet',
};

export const STORE_WORDS: Record<Store, { name: string; holds: string }> = {
  mongodb: { name: 'MongoDB', holds: 'file record' },
  s3: { name: 'S3', holds: 'file contents' },
  qdrant: { name: 'Qdrant', holds: 'search index' },
};

/** An issue in an end user's words: a short title and what it means for them. */
export const ISSUE_WORDS: Record<IssueType, { title: string; meaning: string }> = {
  missing_object: { title: 'Contents missing', meaning: "The file's contents are not in storage (S3), so it cannot be opened." },
  missing_vectors: { title: 'Not searchable', meaning: 'The file has no search index (no vectors in Qdrant), so search and AI answers cannot use it.' },
  size_mismatch: { title: 'Size differs', meaning: 'The stored contents are not the size the file record says.' },
  checksum_mismatch: { title: 'Contents changed', meaning: 'The stored contents are not what was uploaded.' },
  stale_vectors: { title: 'Search index out of date', meaning: 'The search index was made from an older version of the file.' },
  orphan_object: { title: 'Leftover contents', meaning: 'Contents are stored without a file record.' },
  orphan_vectors: { title: 'Leftover search index', meaning: 'A search index remains for a file that no longer exists.' },
  unmapped_vectors: { title: 'Unassigned search index', meaning: 'Search index entries could not be matched to a file.' },
  deletion_incomplete: { title: 'Deletion unfinished', meaning: 'The file was deleted, but copies of it remain.' },
  store_unavailable: { title: 'Storage unreachable', meaning: 'A storage service could not be reached during the last check; this is not a loss.' },
};

/** The repair storesync plans for each issue type (its action table); destructive ones are never offered. */
const REPAIR_OF: Partial<Record<IssueType, RepairActionName>> = {
  missing_vectors: 'reembed',
  stale_vectors: 'reembed',
  missing_object: 'restore_object',
  checksum_mismatch: 'restore_object',
  size_mismatch: 'fix_size',
};

export const ACTION_WORDS: Partial<Record<RepairActionName, { label: string; confirm: string }>> = {
  reembed: {
    label: 'Re-embed',
    confirm: 'Rebuild the search index of this file from its stored contents? The old index is replaced once the new one is written.',
  },
  restore_object: { label: 'Restore contents', confirm: 'Restore the contents of this file from a previous version or the backup?' },
  fix_size: { label: 'Correct size', confirm: "Correct the file record's size to the stored contents' size (only if their checksum matches)?" },
};

/**
 * The repair this user may ask for on this issue, or null: none allowed, it came from a partial
 * check, or it is deferred (the file changed recently; repairs wait until it is judged again).
 */
export function allowedRepair(issue: Issue, allowed: readonly RepairActionName[]): RepairActionName | null {
  const action = REPAIR_OF[issue.type];
  if (!action || !allowed.includes(action) || issue.from_partial_run || issue.deferred) return null;
  return action;
}

/** Events after which the list may have changed (and so is fetched again). */
const REFRESHING_EVENTS = new Set([
  'file.uploaded',
  'file.deleted',
  'embedding.created',
  'embedding.deleted',
  'sync.issue.detected',
  'sync.issue.resolved',
  'repair.action',
  'analysis.completed',
]);

export function refreshes(event: SyncEvent): boolean {
  return REFRESHING_EVENTS.has(event.type);
}

/** The worst status among the files (the panel's overall badge). */
export function overallStatus(files: FileStatus[], fallback: DisplayStatus): DisplayStatus {
  const active = files.filter((f) => f.is_active);
  if (active.length === 0) return fallback;
  for (const status of ['missing', 'error', 'out_of_sync'] as const) if (active.some((f) => f.status === status)) return status;
  return active.some((f) => f.status === 'unchecked') ? 'unchecked' : 'synced';
}

export function countByStatus(files: FileStatus[]): Partial<Record<DisplayStatus, number>> {
  const counts: Partial<Record<DisplayStatus, number>> = {};
  for (const file of files) if (file.is_active) counts[file.status] = (counts[file.status] ?? 0) + 1;
  return counts;
}

/** "3 min ago", "yesterday"… relative to `now`; the exact time goes in a title. */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'unknown';
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
