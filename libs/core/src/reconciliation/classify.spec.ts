import type { FileRecord } from '../file-record';
import type { ObjectInfo } from '../object-info';
import type { FileVectorSummary } from '../vector-point';
import { classifyFile, classifyOrphanObject, classifyOrphanVectors } from './classify';
import type { SyncRules } from './sync-types';

const now = new Date('2026-06-01T12:00:00Z');
const old = new Date('2026-06-01T10:00:00Z');
const recent = new Date('2026-06-01T11:59:00Z');
const rules: SyncRules = { graceSeconds: 300, notEmbeddedContentTypes: ['image/*', 'application/zip'], quarantinePrefix: 'quarantine/' };
const HASH = 'a'.repeat(64);

function record(overrides: Partial<FileRecord> = {}): FileRecord {
  return {
    fileId: 'f1',
    userId: 'u1',
    fileKey: 'u1/f1.txt',
    fileName: 'f1.txt',
    fileSize: 10,
    contentType: 'text/plain',
    sha256: HASH,
    isActive: true,
    embedding: { chunks: 2, model: 'hash-v1', contentHash: HASH },
    createdAt: old,
    updatedAt: old,
    deletedAt: null,
    ...overrides,
  };
}
function object(overrides: Partial<ObjectInfo> = {}): ObjectInfo {
  return { key: 'u1/f1.txt', size: 10, lastModified: old, ...overrides };
}
function vectors(overrides: Partial<FileVectorSummary> = {}): FileVectorSummary {
  return { fileId: 'f1', userId: 'u1', points: 2, contentHashes: [HASH], chunkCounts: [2], models: ['hash-v1'], ...overrides };
}
const types = (check: ReturnType<typeof classifyFile>) => check.issues.map((i) => i.type);

describe(classifyFile.name, () => {
  it('calls a file in every store it must be in synced', () => {
    const sut = classifyFile({ record: record(), object: object(), vectors: vectors(), now }, rules);
    expect(sut.status).toBe('synced');
    expect(sut.issues).toEqual([]);
    expect(sut.stores).toEqual({ mongodb: true, s3: true, qdrant: true });
  });

  it('finds a missing object', () => {
    const sut = classifyFile({ record: record(), object: null, vectors: vectors(), now }, rules);
    expect(types(sut)).toEqual(['missing_object']);
    expect(sut.status).toBe('missing');
  });

  it('finds missing vectors, but not for types that are not embedded or have no chunks', () => {
    expect(types(classifyFile({ record: record(), object: object(), vectors: null, now }, rules))).toEqual(['missing_vectors']);
    const image = record({ contentType: 'image/png', embedding: null });
    expect(classifyFile({ record: image, object: object(), vectors: null, now }, rules).status).toBe('synced');
    const empty = record({ embedding: { chunks: 0, model: 'hash-v1', contentHash: HASH } });
    expect(classifyFile({ record: empty, object: object(), vectors: null, now }, rules).status).toBe('synced');
  });

  it('finds size and checksum mismatches', () => {
    const sut = classifyFile({ record: record(), object: object({ size: 11 }), vectors: vectors(), objectSha256: 'b'.repeat(64), now }, rules);
    expect(types(sut)).toEqual(['size_mismatch', 'checksum_mismatch']);
    expect(sut.status).toBe('out_of_sync');
    expect(sut.issues[0].details).toEqual({ metadata_size: 10, object_size: 11 });
  });

  it.each([
    ['content hash', vectors({ contentHashes: ['b'.repeat(64)] }), 'content_hash'],
    ['point count', vectors({ points: 3 }), 'point_count'],
    ['chunk count', vectors({ chunkCounts: [2, 3] }), 'chunk_count'],
    ['model', vectors({ models: ['other-model'] }), 'model'],
  ])('finds stale vectors by %s', (_name, summary, reason) => {
    const sut = classifyFile({ record: record(), object: object(), vectors: summary, now }, rules);
    expect(types(sut)).toEqual(['stale_vectors']);
    expect(sut.issues[0].details.reasons).toContain(reason);
  });

  it('finds an incomplete deletion, naming what remains', () => {
    const sut = classifyFile({ record: record({ isActive: false }), object: object(), vectors: vectors(), now }, rules);
    expect(types(sut)).toEqual(['deletion_incomplete']);
    expect(sut.issues[0].details.remaining_in).toEqual(['s3', 'qdrant']);
    const done = classifyFile({ record: record({ isActive: false }), object: null, vectors: null, now }, rules);
    expect(done.issues).toEqual([]);
  });

  it('does not flag files inside the grace window as missing', () => {
    const young = record({ createdAt: recent, updatedAt: recent });
    expect(classifyFile({ record: young, object: null, vectors: null, now }, rules).issues).toEqual([]);
    const deleting = record({ isActive: false, updatedAt: recent });
    expect(classifyFile({ record: deleting, object: object(), vectors: null, now }, rules).issues).toEqual([]);
  });

  it('reports an unreadable store as error, never as missing', () => {
    const s3Down = classifyFile({ record: record(), object: undefined, vectors: vectors(), now }, rules);
    expect(types(s3Down)).toEqual(['store_unavailable']);
    expect(s3Down.status).toBe('error');
    expect(s3Down.stores.s3).toBeNull();
    const qdrantDown = classifyFile({ record: record(), object: object(), vectors: undefined, now }, rules);
    expect(types(qdrantDown)).toEqual(['store_unavailable']);
    expect(qdrantDown.issues[0].store).toBe('qdrant');
  });
});

describe(classifyOrphanObject.name, () => {
  it('flags an old object with no metadata, with its owner from the key', () => {
    expect(classifyOrphanObject(object({ key: 'u9/x.bin' }), now, rules)).toMatchObject({ type: 'orphan_object', userId: 'u9', fileKey: 'u9/x.bin' });
  });

  it('never flags quarantined or in-flight objects', () => {
    expect(classifyOrphanObject(object({ key: 'quarantine/2026-01-01/u1/x' }), now, rules)).toBeNull();
    expect(classifyOrphanObject(object({ lastModified: recent }), now, rules)).toBeNull();
  });
});

describe(classifyOrphanVectors.name, () => {
  it('flags points with no metadata', () => {
    expect(classifyOrphanVectors(vectors({ fileId: 'gone' }))).toMatchObject({ type: 'orphan_vectors', fileId: 'gone', details: { points: 2 } });
  });
});
