import type { IssueType } from '@storesync/contract';
import type { StoreName } from '../errors';
import type { KeyLayout } from './key-layout';

export type SyncStatus = 'synced' | 'out_of_sync' | 'missing' | 'error';

export { ISSUE_TYPES, type IssueType } from '@storesync/contract';

/** An inconsistency as classification finds it, before it gets an id and a lifecycle. */
export interface IssueDraft {
  type: IssueType;
  userId: string;
  fileId?: string;
  fileKey?: string;
  store: StoreName;
  details: Record<string, unknown>;
  suggestedAction: string;
}

/**
 * A finding the rules withheld because its file is inside the grace window (just
 * uploaded, re-uploaded, touched): not an issue yet, but an open issue for it stays open.
 */
export interface DeferredDraft extends IssueDraft {
  /** When the grace window ends and the rules judge the file again. */
  deferredUntil: Date;
}

/** Whether a store holds the file: unknown when the store could not be read. */
export type Presence = boolean | null;

export interface FileCheck {
  fileId: string;
  userId: string;
  fileKey: string;
  fileName: string;
  fileSize: number;
  updatedAt: Date;
  isActive: boolean;
  status: SyncStatus;
  stores: { mongodb: Presence; s3: Presence; qdrant: Presence };
  points: number;
  issues: IssueDraft[];
  /** Findings withheld by the grace window (see DeferredDraft). */
  deferred: DeferredDraft[];
  /** Checks the stores could not support for this file (a field the deployment does not store). */
  notChecked?: UncheckedCheck[];
}

/**
 * A comparison classification skips when one side does not store what it compares:
 * never a mismatch, but counted and reported by the run.
 */
export type UncheckedCheck = 'checksum' | 'content_hash' | 'chunk_count' | 'point_count' | 'model';

/** Which stores a file must be in: configurable, per DESIGN.md. */
export interface SyncRules {
  graceSeconds: number;
  /** Content types the pipeline does not embed: such files are synced without points. */
  notEmbeddedContentTypes: string[];
  quarantinePrefix: string;
  /** How keys name their user and which prefixes hold no files; storesync's layout when absent. */
  keyLayout?: KeyLayout;
}

export const STATUS_RANK: Record<SyncStatus, number> = { synced: 0, out_of_sync: 1, missing: 2, error: 3 };

export const ISSUE_STATUS: Record<IssueType, SyncStatus> = {
  missing_object: 'missing',
  missing_vectors: 'missing',
  size_mismatch: 'out_of_sync',
  checksum_mismatch: 'out_of_sync',
  stale_vectors: 'out_of_sync',
  orphan_object: 'out_of_sync',
  orphan_vectors: 'out_of_sync',
  unmapped_vectors: 'out_of_sync',
  deletion_incomplete: 'out_of_sync',
  store_unavailable: 'error',
};

/** Issue identity across runs: the same inconsistency found again is the same issue. */
export function issueFingerprint(issue: Pick<IssueDraft, 'type' | 'fileId' | 'fileKey' | 'store' | 'userId'>): string {
  // Unmapped points name no file: the user they name (or none) is what tells their issues apart.
  const scope = issue.type === 'unmapped_vectors' ? [issue.userId] : [];
  return [issue.type, issue.store, issue.fileId ?? '', issue.fileKey ?? '', ...scope].join('\u0000');
}

export function worstStatus(statuses: Iterable<SyncStatus>): SyncStatus {
  let worst: SyncStatus = 'synced';
  for (const status of statuses) if (STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
  return worst;
}
