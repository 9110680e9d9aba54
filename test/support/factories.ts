import { randomUUID } from 'node:crypto';
import type { FileRecord } from '@storesync/core';

let counter = 0;

/** Small seed factories for tests: sensible defaults, override what the test is about. */
export const factories = {
  file(overrides: Partial<FileRecord> = {}): FileRecord {
    counter += 1;
    const userId = overrides.userId ?? 'user-1';
    const fileId = overrides.fileId ?? `f-${randomUUID()}`;
    const at = new Date(Date.now() - 3600_000);
    return {
      fileId,
      userId,
      fileKey: `${userId}/${fileId}.txt`,
      fileName: `file-${counter}.txt`,
      fileSize: 100 + counter,
      contentType: 'text/plain',
      sha256: null,
      isActive: true,
      embedding: null,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
      ...overrides,
    };
  },
};

/** A name no other test run uses: collections, buckets, data dirs. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}
