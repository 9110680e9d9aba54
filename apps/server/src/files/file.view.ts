import type { FileRecord } from '@storesync/core';

/** A file's metadata as the API shows it (snake_case). */
export function fileView(record: FileRecord) {
  return {
    file_id: record.fileId,
    user_id: record.userId,
    file_key: record.fileKey,
    file_name: record.fileName,
    file_size: record.fileSize,
    content_type: record.contentType,
    sha256: record.sha256 ?? null,
    is_active: record.isActive,
    embedding: record.embedding ? { chunks: record.embedding.chunks, model: record.embedding.model, content_hash: record.embedding.contentHash } : null,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
    deleted_at: record.deletedAt ? record.deletedAt.toISOString() : null,
  };
}
