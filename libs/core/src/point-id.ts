import { createHash } from 'node:crypto';

// Fixed namespace so every instance derives the same ids (re-embedding stays idempotent).
const POINT_NAMESPACE = Buffer.from('6f1c3a52d1e84b8f9a3c0e7b2d4f5a61', 'hex');

/** UUIDv5 of `"<fileId>:<chunkIndex>"` (RFC 9562, SHA-1 based). */
export function pointId(fileId: string, chunkIndex: number): string {
  const hash = createHash('sha1').update(POINT_NAMESPACE).update(`${fileId}:${chunkIndex}`, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
