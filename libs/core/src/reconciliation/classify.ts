import type { StoreName } from '../errors';
import type { FileRecord } from '../file-record';
import type { ObjectInfo } from '../object-info';
import type { FileVectorSummary } from '../vector-point';
import { KeyLayout } from './key-layout';
import { SUGGESTED_ACTIONS } from './suggested-actions';
import { DeferredDraft, FileCheck, ISSUE_STATUS, IssueDraft, IssueType, Presence, SyncRules, UncheckedCheck, worstStatus } from './sync-types';

const DEFAULT_LAYOUT = new KeyLayout();

/** What the stores said about one file; `undefined` store input means it could not be read. */
export interface FileObservation {
  record: FileRecord;
  /** null: absent; undefined: S3 could not be read for this file. */
  object: ObjectInfo | null | undefined;
  /** null: no points; undefined: Qdrant could not be read. */
  vectors: FileVectorSummary | null | undefined;
  /** SHA-256 of the object's bytes when known (stored checksum or deep hash). */
  objectSha256?: string;
  now: Date;
}

function draft(type: IssueType, store: StoreName, record: Pick<FileRecord, 'userId' | 'fileId' | 'fileKey'>, details: Record<string, unknown>): IssueDraft {
  return {
    type,
    store,
    userId: record.userId,
    fileId: record.fileId,
    fileKey: record.fileKey,
    details,
    suggestedAction: SUGGESTED_ACTIONS[type],
  };
}

/**
 * The finding of bytes whose SHA-256 is not the metadata's: one shape for every checker
 * (a deep analysis, the scrubber), so each finds the same issue.
 */
export function checksumMismatchDraft(record: Pick<FileRecord, 'userId' | 'fileId' | 'fileKey' | 'sha256'>, objectSha256: string): IssueDraft {
  return draft('checksum_mismatch', 's3', record, { metadata_sha256: record.sha256 ?? null, object_sha256: objectSha256 });
}

function withinGrace(at: Date | undefined | null, now: Date, rules: SyncRules): boolean {
  return !!at && now.getTime() - at.getTime() < rules.graceSeconds * 1000;
}

function deferUntil(issue: IssueDraft, at: Date, rules: SyncRules): DeferredDraft {
  return { ...issue, deferredUntil: new Date(at.getTime() + rules.graceSeconds * 1000) };
}

/** True when the rules say this file must have points. */
export function needsVectors(record: FileRecord, rules: SyncRules): boolean {
  if (record.embedding && record.embedding.chunks === 0) return false;
  const type = record.contentType.split(';')[0].trim().toLowerCase();
  return !rules.notEmbeddedContentTypes.some((t) => (t.endsWith('/*') ? type.startsWith(t.slice(0, -1)) : type === t));
}

/**
 * A point that does not store a field reads as '' (hash) or 0 (chunk count): that value
 * is "not stored", never a value to compare (LangChain keeps neither by default).
 */
function storedHashes(vectors: FileVectorSummary): string[] {
  return vectors.contentHashes.filter((h) => h !== '');
}

function storedChunkCounts(vectors: FileVectorSummary): number[] {
  return vectors.chunkCounts.filter((c) => c > 0);
}

function staleReasons(record: FileRecord, vectors: FileVectorSummary): string[] {
  const reasons: string[] = [];
  const expectedHash = record.embedding?.contentHash || record.sha256 || undefined;
  const hashes = storedHashes(vectors);
  const chunkCounts = storedChunkCounts(vectors);
  if (expectedHash && hashes.some((h) => h !== expectedHash)) reasons.push('content_hash');
  if (record.embedding) {
    if (vectors.points !== record.embedding.chunks) reasons.push('point_count');
    if (chunkCounts.some((c) => c !== record.embedding!.chunks)) reasons.push('chunk_count');
    if (record.embedding.model && vectors.models.some((m) => m !== record.embedding!.model)) reasons.push('model');
  } else if (chunkCounts.some((c) => c !== vectors.points)) {
    reasons.push('chunk_count');
  }
  return reasons;
}

/** The comparisons this file's stores do not allow (a side does not store the field). */
export function checksNotMade(o: Pick<FileObservation, 'record' | 'object' | 'vectors' | 'objectSha256'>): UncheckedCheck[] {
  const { record, object, vectors } = o;
  const skipped: UncheckedCheck[] = [];
  if (object && (!record.sha256 || !(o.objectSha256 ?? object.sha256))) skipped.push('checksum');
  if (vectors && vectors.points > 0) {
    const expectedHash = record.embedding?.contentHash || record.sha256;
    if (!expectedHash || storedHashes(vectors).length === 0) skipped.push('content_hash');
    if (storedChunkCounts(vectors).length === 0) skipped.push('chunk_count');
    if (!record.embedding) skipped.push('point_count');
    if (!record.embedding?.model || vectors.models.length === 0) skipped.push('model');
  }
  return skipped;
}

interface Findings {
  issues: IssueDraft[];
  deferred: DeferredDraft[];
}

function activeFileIssues(o: FileObservation, rules: SyncRules): Findings {
  const { record, object, vectors, now } = o;
  const issues: IssueDraft[] = [];
  const deferred: DeferredDraft[] = [];
  const young = withinGrace(record.createdAt, now, rules);
  // A young file's absences are in flight (the pipeline writes metadata first): withheld, not dropped.
  const absent = (issue: IssueDraft) => (young ? deferred.push(deferUntil(issue, record.createdAt, rules)) : issues.push(issue));
  if (object === null) {
    absent(draft('missing_object', 's3', record, { expected_size: record.fileSize }));
  } else if (object) {
    if (object.size !== record.fileSize) {
      issues.push(draft('size_mismatch', 's3', record, { metadata_size: record.fileSize, object_size: object.size }));
    }
    const actual = o.objectSha256 ?? object.sha256;
    if (record.sha256 && actual && actual !== record.sha256) issues.push(checksumMismatchDraft(record, actual));
  }
  if (vectors !== undefined) {
    const points = vectors?.points ?? 0;
    if (needsVectors(record, rules)) {
      if (points === 0) {
        if (object !== null) absent(draft('missing_vectors', 'qdrant', record, { expected_chunks: record.embedding?.chunks ?? null }));
      } else {
        const reasons = staleReasons(record, vectors!);
        if (reasons.length > 0) issues.push(staleIssue(record, vectors!, reasons));
      }
    } else if (points > 0 && record.embedding?.chunks === 0) {
      issues.push(staleIssue(record, vectors!, ['point_count']));
    }
  }
  return { issues, deferred };
}

function staleIssue(record: FileRecord, vectors: FileVectorSummary, reasons: string[]): IssueDraft {
  return draft('stale_vectors', 'qdrant', record, {
    reasons,
    points: vectors.points,
    expected_chunks: record.embedding?.chunks ?? null,
    expected_content_hash: record.embedding?.contentHash ?? record.sha256 ?? null,
    content_hashes: vectors.contentHashes,
    models: vectors.models,
    expected_model: record.embedding?.model ?? null,
  });
}

function inactiveFileIssues(o: FileObservation, rules: SyncRules): Findings {
  const { record, object, vectors, now } = o;
  const remains: StoreName[] = [];
  if (object) remains.push('s3');
  if (vectors && vectors.points > 0) remains.push('qdrant');
  if (remains.length === 0) return { issues: [], deferred: [] };
  const issue = draft('deletion_incomplete', remains[0], record, { remaining_in: remains, points: vectors?.points ?? 0 });
  // A delete in progress removes the object and points right after the flag; give it the grace window.
  if (withinGrace(record.updatedAt, now, rules)) return { issues: [], deferred: [deferUntil(issue, record.updatedAt, rules)] };
  return { issues: [issue], deferred: [] };
}

function unavailable(record: FileRecord, store: StoreName): IssueDraft {
  return draft('store_unavailable', store, record, { reason: `${store} could not be read during the check` });
}

/** Classifies one file from what each store said. Pure: no I/O, no clock. */
export function classifyFile(o: FileObservation, rules: SyncRules): FileCheck {
  const { record, object, vectors } = o;
  const { issues, deferred } = record.isActive ? activeFileIssues(o, rules) : inactiveFileIssues(o, rules);
  if (object === undefined) issues.push(unavailable(record, 's3'));
  if (vectors === undefined && (record.isActive ? needsVectors(record, rules) : true)) issues.push(unavailable(record, 'qdrant'));
  const presence = (value: unknown): Presence => (value === undefined ? null : value !== null);
  const notChecked = record.isActive ? checksNotMade(o) : [];
  return {
    fileId: record.fileId,
    userId: record.userId,
    fileKey: record.fileKey,
    fileName: record.fileName,
    fileSize: record.fileSize,
    updatedAt: record.updatedAt,
    isActive: record.isActive,
    status: worstStatus(issues.map((i) => ISSUE_STATUS[i.type])),
    stores: { mongodb: true, s3: presence(object), qdrant: vectors === undefined ? null : (vectors?.points ?? 0) > 0 },
    points: vectors?.points ?? 0,
    issues,
    deferred,
    ...(notChecked.length > 0 ? { notChecked } : {}),
  };
}

export function isDeferredDraft(draft: IssueDraft | DeferredDraft): draft is DeferredDraft {
  return (draft as DeferredDraft).deferredUntil instanceof Date;
}

/** An object no metadata refers to; null when it is not an issue (quarantine, in flight). */
export function classifyOrphanObject(object: ObjectInfo, now: Date, rules: SyncRules): IssueDraft | null {
  const finding = orphanObjectFinding(object, now, rules);
  return finding && !isDeferredDraft(finding) ? finding : null;
}

/**
 * classifyOrphanObject, telling an object in flight (written inside the grace window)
 * apart: its finding comes back deferred. Null for quarantined objects.
 */
export function orphanObjectFinding(object: ObjectInfo, now: Date, rules: SyncRules): IssueDraft | DeferredDraft | null {
  if (object.key.startsWith(rules.quarantinePrefix)) return null;
  const layout = rules.keyLayout ?? DEFAULT_LAYOUT;
  if (layout.ignored(object.key)) return null;
  const issue = orphanObjectDraft(object, layout);
  return withinGrace(object.lastModified, now, rules) ? deferUntil(issue, object.lastModified, rules) : issue;
}

function orphanObjectDraft(object: ObjectInfo, layout: KeyLayout): IssueDraft {
  const userId = layout.userOf(object.key);
  return {
    type: 'orphan_object',
    store: 's3',
    userId,
    fileKey: object.key,
    details: { size: object.size, last_modified: object.lastModified.toISOString() },
    suggestedAction: SUGGESTED_ACTIONS.orphan_object,
  };
}

/** Points whose fileId has no metadata at all. */
export function classifyOrphanVectors(summary: FileVectorSummary): IssueDraft {
  return {
    type: 'orphan_vectors',
    store: 'qdrant',
    userId: summary.userId,
    fileId: summary.fileId,
    details: { points: summary.points },
    suggestedAction: SUGGESTED_ACTIONS.orphan_vectors,
  };
}

/**
 * Points whose payload names no file (another writer's, or an unmapped file-id path),
 * one issue per user they name: they cannot be matched to metadata, and a repair acts
 * on the listed point ids.
 */
export function classifyUnmappedVectors(userId: string, points: number, pointIds: string[]): IssueDraft {
  return {
    type: 'unmapped_vectors',
    store: 'qdrant',
    userId,
    details: { points, point_ids: pointIds, listed: pointIds.length },
    suggestedAction: SUGGESTED_ACTIONS.unmapped_vectors,
  };
}
