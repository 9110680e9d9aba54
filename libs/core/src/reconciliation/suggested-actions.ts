import type { IssueType } from './sync-types';

/** What a person reads next to each issue; the repair module acts on the same table. */
export const SUGGESTED_ACTIONS: Record<IssueType, string> = {
  missing_object: 'Restore the object from a previous S3 version or the backup bucket; if none exists, re-upload the file.',
  missing_vectors: 'Re-embed the file from its object (repair action reembed).',
  size_mismatch: 'If the object hash matches the metadata sha256, correct the recorded size; otherwise restore the object.',
  checksum_mismatch: 'Restore a version whose hash matches the metadata; if none exists, a person must decide which copy is right.',
  stale_vectors: 'Re-embed the file, replacing its points (repair action reembed).',
  orphan_object: 'Quarantine the object; it is deleted after the retention period unless restored.',
  orphan_vectors: 'Delete the points: no file metadata refers to them.',
  unmapped_vectors:
    'Points with no file id in their payload (another writer, or the wrong vectors.payload.file_id path): check the mapping with the doctor; if it is right, delete the listed points.',
  deletion_incomplete: 'Finish the deletion: quarantine the object, delete the points, set deleted_at.',
  store_unavailable: 'No repair: check the store, then run the analysis again.',
};
