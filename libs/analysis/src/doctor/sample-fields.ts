import { scalarText } from '@storesync/core';

/** What one dotted path holds across a sample of documents or payloads. */
export interface FieldStats {
  path: string;
  /** Documents that have a value (not null) there; a path seen only as null has 0 and kind "null". */
  present: number;
  /** Kinds seen: string, numeric_string, number, integer, boolean, date, iso_date, epoch_ms, hex24, sha256, object, array. */
  kinds: Record<string, number>;
  /** Up to five distinct values, as text. */
  examples: string[];
  /** Distinct string values seen (up to 50), for status-like fields. */
  values: Map<string, number>;
}

const HEX24 = /^[0-9a-f]{24}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
// 2001-09-09 .. 2286: epoch milliseconds, not a size or a count.
const EPOCH_MS_MIN = 1_000_000_000_000;
const EPOCH_MS_MAX = 9_999_999_999_999;

export function kindOf(value: unknown): string {
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      if (Number.isInteger(value) && value >= EPOCH_MS_MIN && value <= EPOCH_MS_MAX) return 'epoch_ms';
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      if (SHA256.test(value)) return 'sha256';
      if (HEX24.test(value)) return 'hex24';
      if (/^\d+$/.test(value)) return 'numeric_string';
      if (ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))) return 'iso_date';
      return 'string';
    case 'object':
      return 'object';
    default:
      return typeof value;
  }
}

/** Every dotted path of the sample with what it holds (objects are walked, arrays are leaves). */
export function sampleFields(docs: Record<string, unknown>[]): Map<string, FieldStats> {
  const fields = new Map<string, FieldStats>();
  const visit = (value: unknown, path: string, depth: number) => {
    if (value === undefined) return;
    let stats = fields.get(path);
    if (!stats) {
      stats = { path, present: 0, kinds: {}, examples: [], values: new Map() };
      fields.set(path, stats);
    }
    // A field kept as null (deleted_at of a live file) exists: it names the path, with no kind.
    if (value === null) return;
    const kind = kindOf(value);
    stats.present += 1;
    stats.kinds[kind] = (stats.kinds[kind] ?? 0) + 1;
    const shown = value instanceof Date ? value.toISOString() : typeof value === 'object' ? '' : scalarText(value);
    if (shown && stats.examples.length < 5 && !stats.examples.includes(shown)) stats.examples.push(shown.slice(0, 80));
    if (typeof value === 'string' && (stats.values.size < 50 || stats.values.has(value))) stats.values.set(value, (stats.values.get(value) ?? 0) + 1);
    if (kind === 'object' && depth < 4) {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) visit(child, path ? `${path}.${key}` : key, depth + 1);
    }
  };
  for (const doc of docs) for (const [key, value] of Object.entries(doc)) visit(value, key, 1);
  return fields;
}

/** The kind most of the present values have. */
export function mainKind(stats: FieldStats): string {
  return Object.entries(stats.kinds).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'null';
}

/** Lowercase without separators: `storage.fileKey` and `storage_file_key` compare alike. */
export function normalizedName(path: string): string {
  return path.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export interface FieldChoice {
  path: string | null;
  kind: string | null;
  /** Share of sampled documents that have it (0..1). */
  coverage: number;
  examples: string[];
}

/**
 * The best path for a field: a sampled path whose full or last-segment name is one of
 * the synonyms (earlier synonyms first), whose values are of an accepted kind, present
 * in the most documents.
 */
export function choosePath(
  fields: Map<string, FieldStats>,
  total: number,
  synonyms: string[],
  accepts: (kind: string) => boolean,
  taken: Set<string> = new Set(),
): FieldChoice {
  let best: { stats: FieldStats; rank: number } | undefined;
  const names = synonyms.map(normalizedName);
  for (const stats of fields.values()) {
    const kind = mainKind(stats);
    if (taken.has(stats.path) || (kind !== 'null' && !accepts(kind))) continue;
    const full = normalizedName(stats.path);
    const last = normalizedName(stats.path.split('.').pop() ?? stats.path);
    let rank = names.indexOf(full);
    if (rank < 0) rank = names.indexOf(last) + (names.indexOf(last) >= 0 ? 0.5 : 0);
    if (rank < 0) continue;
    if (!best || stats.present > best.stats.present || (stats.present === best.stats.present && rank < best.rank)) best = { stats, rank };
  }
  if (!best || total === 0) return { path: null, kind: null, coverage: 0, examples: [] };
  return { path: best.stats.path, kind: mainKind(best.stats), coverage: best.stats.present / total, examples: best.stats.examples };
}
