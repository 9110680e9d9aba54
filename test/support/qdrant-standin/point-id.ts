import { formatError } from './http-error';

/** Qdrant ids: unsigned integers or UUIDs, kept canonical (lowercase, hyphenated). */
export type PointId = number | string;

const UUID_HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_SIMPLE = /^[0-9a-f]{32}$/;
const UUID_BRACED = /^\{([0-9a-f-]{36})\}$/;
const UUID_URN = /^urn:uuid:([0-9a-f-]{36})$/;

/** Parses an id as Qdrant does (any UUID notation), or throws Qdrant's 400. */
export function parsePointId(raw: unknown): PointId {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
  if (typeof raw === 'string') {
    const lower = raw.toLowerCase();
    const inner = UUID_BRACED.exec(lower)?.[1] ?? UUID_URN.exec(lower)?.[1] ?? lower;
    if (UUID_HYPHENATED.test(inner)) return inner;
    if (UUID_SIMPLE.test(inner)) {
      return `${inner.slice(0, 8)}-${inner.slice(8, 12)}-${inner.slice(12, 16)}-${inner.slice(16, 20)}-${inner.slice(20)}`;
    }
  }
  throw formatError(`value ${JSON.stringify(raw)} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
}

/** Qdrant's id order: every integer id before every UUID; UUIDs by their 128-bit value. */
export function comparePointIds(a: PointId, b: PointId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  // Canonical lowercase hex with hyphens at fixed places sorts like the 128-bit number.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function pointKey(id: PointId): string {
  return typeof id === 'number' ? `n:${id}` : `u:${id}`;
}
