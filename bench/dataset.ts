import { createHash } from 'node:crypto';
import type { IssueType } from '@storesync/core';

/**
 * The synthetic data set: N file identities, each in exactly one category chosen by
 * `index % 100`, so every planted issue type is ~1% and the expected findings are known
 * exactly. Everything is derived from the index: nothing of size N is held in memory.
 */
export type Category =
  | 'healthy'
  | 'healthy_not_embedded'
  | 'deleted_clean'
  | 'missing_object'
  | 'missing_vectors'
  | 'size_mismatch'
  | 'stale_vectors'
  | 'orphan_object'
  | 'orphan_vectors'
  | 'deletion_incomplete'
  | 'checksum_mismatch';

const PLANTED: Record<number, Category> = {
  0: 'missing_object',
  1: 'missing_vectors',
  2: 'size_mismatch',
  3: 'stale_vectors',
  4: 'orphan_object',
  5: 'orphan_vectors',
  6: 'deletion_incomplete',
  7: 'checksum_mismatch',
  // Not issues, so precision is tested on the rules too: a finished delete, a type not embedded.
  8: 'deleted_clean',
  9: 'healthy_not_embedded',
};

/** Issue types a plain (not deep) scan can see; checksum_mismatch needs the deep hash. */
export const SHALLOW_TYPES: IssueType[] = [
  'missing_object',
  'missing_vectors',
  'size_mismatch',
  'stale_vectors',
  'orphan_object',
  'orphan_vectors',
  'deletion_incomplete',
];
export const DEEP_TYPES: IssueType[] = [...SHALLOW_TYPES, 'checksum_mismatch'];

export const BENCH_MODEL = 'bench-v1';
export const BENCH_DIMENSION = 8;
const USERS = 97; // prime, so categories spread over every user
// A day old: no grace window can hide a planted issue.
const AGE_MS = 24 * 3600_000;

export interface SeedFile {
  index: number;
  category: Category;
  fileId: string;
  userId: string;
  fileKey: string;
  body: Buffer;
  sha256: string;
  contentType: string;
  /** Stored in MongoDB (null: no record). */
  document: Record<string, unknown> | null;
  /** Whether an object is written at fileKey. */
  object: boolean;
  /** Points written (content hash per point). */
  points: { chunkIndex: number; chunkCount: number; contentHash: string }[];
  /** What a scan must report for this file, or null. */
  expected: { type: IssueType; key: string } | null;
}

export function categoryOf(index: number): Category {
  return PLANTED[index % 100] ?? 'healthy';
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function seedFile(index: number, chunks: number, now: number): SeedFile {
  const category = categoryOf(index);
  const userId = `u${String(index % USERS).padStart(3, '0')}`;
  const fileId = `f${String(index).padStart(8, '0')}`;
  const fileKey = `${userId}/${fileId}.txt`;
  const body = Buffer.from(`bench file ${index}\n`, 'utf8');
  const hash = sha256(body);
  const notEmbedded = category === 'healthy_not_embedded';
  const contentType = notEmbedded ? 'image/png' : 'text/plain';
  const at = new Date(now - AGE_MS);
  const inactive = category === 'deletion_incomplete' || category === 'deleted_clean';
  const pointCount = notEmbedded || category === 'missing_vectors' || category === 'deleted_clean' || category === 'orphan_object' ? 0 : chunks;
  const document =
    category === 'orphan_object' || category === 'orphan_vectors'
      ? null
      : {
          file_id: fileId,
          user_id: userId,
          file_key: fileKey,
          file_name: `${fileId}.txt`,
          file_size: category === 'size_mismatch' ? body.length + 1 : body.length,
          content_type: contentType,
          // The deep check compares the object's bytes with this.
          sha256: category === 'checksum_mismatch' ? sha256(`other bytes ${index}`) : hash,
          is_active: !inactive,
          embedding: notEmbedded ? null : { chunks, model: BENCH_MODEL, content_hash: hash },
          created_at: at,
          updated_at: at,
          deleted_at: inactive ? at : null,
        };
  const object = !['missing_object', 'orphan_vectors', 'deleted_clean'].includes(category);
  const contentHash = category === 'stale_vectors' ? sha256(`stale ${index}`) : hash;
  const points = Array.from({ length: pointCount }, (_, chunkIndex) => ({ chunkIndex, chunkCount: chunks, contentHash }));
  const expected = expectedIssue(category, fileId, fileKey);
  return { index, category, fileId, userId, fileKey, body, sha256: hash, contentType, document, object, points, expected };
}

function expectedIssue(category: Category, fileId: string, fileKey: string): SeedFile['expected'] {
  switch (category) {
    case 'healthy':
    case 'healthy_not_embedded':
    case 'deleted_clean':
      return null;
    case 'orphan_object':
      return { type: 'orphan_object', key: fileKey };
    default:
      return { type: category, key: fileId };
  }
}

/** How an issue is matched against the planted set: (type, file id or, for orphan objects, key). */
export function issueKey(type: string, key: string): string {
  return `${type} ${key}`;
}

/** A deterministic unit-ish vector per point: the scan never reads vectors. */
export function benchVector(index: number, chunkIndex: number): number[] {
  return Array.from({ length: BENCH_DIMENSION }, (_, i) => ((index * 31 + chunkIndex * 7 + i * 13) % 17) / 17 + 0.01);
}
