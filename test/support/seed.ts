import { chunkPoints, FileRecord, sha256Hex, VectorPoint } from '@storesync/core';
import type { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { factories } from './factories';

export interface SeedStores {
  metadata: MetadataStore;
  objects: ObjectStore;
  vectors: VectorStore;
}

export const TEST_MODEL = 'hash-v1';
export const TEST_DIMENSION = 256;

/** A deterministic unit vector per text, so searches and re-embeds are repeatable. */
export function testVector(text: string, dimension = TEST_DIMENSION): number[] {
  const digest = sha256Hex(text);
  const vector = Array.from({ length: dimension }, (_, i) => parseInt(digest[i % 64], 16) - 7.5 + (i % 3));
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}

export function pointsFor(record: FileRecord, chunks: string[], overrides: Partial<VectorPoint> = {}): VectorPoint[] {
  const points = chunkPoints(
    { fileId: record.fileId, userId: record.userId, contentHash: record.sha256 ?? '', model: TEST_MODEL },
    chunks,
    chunks.map((text) => testVector(text)),
  );
  return points.map((point) => ({ ...point, ...overrides }));
}

/**
 * A file present and consistent in all three stores: metadata, object, one point per
 * chunk. Tests then break exactly what they are about.
 */
export async function seedFile(
  stores: SeedStores,
  overrides: Partial<FileRecord> = {},
  content = `content of ${overrides.fileId ?? 'a file'} ${Math.random()}`,
): Promise<{ record: FileRecord; bytes: Buffer; points: VectorPoint[] }> {
  const bytes = Buffer.from(content, 'utf8');
  const sha256 = sha256Hex(bytes);
  const chunks = content.match(/.{1,40}/gs) ?? [content];
  const base = factories.file({ ...overrides });
  const record: FileRecord = {
    ...base,
    fileSize: bytes.length,
    sha256,
    embedding: { chunks: chunks.length, model: TEST_MODEL, contentHash: sha256 },
    ...overrides,
  };
  await stores.metadata.upsert(record);
  await stores.objects.put(record.fileKey, bytes, { contentType: record.contentType, sha256 });
  const points = pointsFor(record, chunks);
  await stores.vectors.upsert(points);
  return { record, bytes, points };
}
