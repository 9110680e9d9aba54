import { formatError } from './http-error';
import { PointId, parsePointId, pointKey } from './point-id';

export type Payload = Record<string, unknown>;

export interface FilterablePoint {
  id: PointId;
  payload: Payload;
}

export type PointPredicate = (point: FilterablePoint) => boolean;

const FILTER_CLAUSES = ['must', 'should', 'must_not', 'min_should'];

/**
 * Compiles a Qdrant filter into a predicate, validating the whole filter first so a bad
 * request fails even on an empty collection (as Qdrant's JSON parsing does).
 */
export function compileFilter(filter: unknown): PointPredicate {
  if (filter === undefined || filter === null) return () => true;
  const clauses = asObject(filter, 'filter');
  for (const key of Object.keys(clauses)) {
    if (!FILTER_CLAUSES.includes(key)) throw formatError(`unknown field \`${key}\` in filter`);
  }
  const must = oneOrMany(clauses.must).map(compileCondition);
  const mustNot = oneOrMany(clauses.must_not).map(compileCondition);
  const should = oneOrMany(clauses.should).map(compileCondition);
  const minShould = compileMinShould(clauses.min_should);
  return (point) =>
    must.every((condition) => condition(point)) &&
    !mustNot.some((condition) => condition(point)) &&
    // An empty `should` is no constraint, as in Qdrant.
    (should.length === 0 || should.some((condition) => condition(point))) &&
    minShould(point);
}

function compileMinShould(raw: unknown): PointPredicate {
  if (raw === undefined || raw === null) return () => true;
  const spec = asObject(raw, 'min_should');
  const conditions = oneOrMany(spec.conditions).map(compileCondition);
  const minCount = spec.min_count;
  if (typeof minCount !== 'number' || !Number.isInteger(minCount) || minCount < 0) {
    throw formatError('min_should.min_count must be a non-negative integer');
  }
  return (point) => conditions.filter((condition) => condition(point)).length >= minCount;
}

function compileCondition(raw: unknown): PointPredicate {
  const condition = asObject(raw, 'condition');
  if ('has_id' in condition) return compileHasId(condition.has_id);
  if ('is_empty' in condition) {
    const key = conditionKey(asObject(condition.is_empty, 'is_empty').key);
    return (point) => valuesAt(point.payload, key).every((value) => value === null);
  }
  if ('is_null' in condition) {
    const key = conditionKey(asObject(condition.is_null, 'is_null').key);
    return (point) => rawValuesAt(point.payload, key).some((value) => value === null);
  }
  if ('key' in condition) return compileFieldCondition(condition);
  if (FILTER_CLAUSES.some((clause) => clause in condition)) return compileFilter(condition);
  throw formatError(`unsupported condition ${JSON.stringify(condition)} (the stand-in implements match, range, has_id, is_empty, is_null and nested filters)`);
}

function compileHasId(raw: unknown): PointPredicate {
  if (!Array.isArray(raw)) throw formatError('has_id must be an array of point ids');
  const keys = new Set(raw.map((id) => pointKey(parsePointId(id))));
  return (point) => keys.has(pointKey(point.id));
}

function compileFieldCondition(condition: Record<string, unknown>): PointPredicate {
  const key = conditionKey(condition.key);
  if (condition.match !== undefined) return compileMatch(key, asObject(condition.match, 'match'));
  if (condition.range !== undefined) return compileRange(key, asObject(condition.range, 'range'));
  throw formatError(`field condition on \`${key}\` needs \`match\` or \`range\` (others are not in the stand-in)`);
}

function compileMatch(key: string, match: Record<string, unknown>): PointPredicate {
  if ('value' in match) {
    const expected = match.value;
    if (!isMatchValue(expected)) throw formatError('match.value must be a string, an integer or a boolean');
    return (point) => valuesAt(point.payload, key).some((value) => value === expected);
  }
  if ('any' in match) {
    const any = match.any;
    if (!Array.isArray(any) || !any.every((value) => typeof value === 'string' || Number.isInteger(value))) {
      throw formatError('match.any must be an array of strings or of integers');
    }
    const wanted = new Set<unknown>(any);
    return (point) => valuesAt(point.payload, key).some((value) => wanted.has(value));
  }
  throw formatError(`unsupported match ${JSON.stringify(match)} (the stand-in implements value and any)`);
}

function compileRange(key: string, range: Record<string, unknown>): PointPredicate {
  const bounds: Array<[string, (value: number, bound: number) => boolean]> = [
    ['gt', (v, b) => v > b],
    ['gte', (v, b) => v >= b],
    ['lt', (v, b) => v < b],
    ['lte', (v, b) => v <= b],
  ];
  const checks: Array<(value: number) => boolean> = [];
  for (const [name, test] of bounds) {
    const bound = range[name];
    if (bound === undefined || bound === null) continue;
    if (typeof bound !== 'number') throw formatError(`range.${name} must be a number`);
    checks.push((value) => test(value, bound));
  }
  return (point) => valuesAt(point.payload, key).some((value) => typeof value === 'number' && checks.every((check) => check(value)));
}

/** The values at a key path ("a.b", "a[].b"); a stored array counts as each of its items. */
export function valuesAt(payload: Payload, key: string): unknown[] {
  return rawValuesAt(payload, key).flatMap((value) => (Array.isArray(value) ? value : [value]));
}

function rawValuesAt(payload: Payload, key: string): unknown[] {
  let current: unknown[] = [payload];
  for (const segment of key.split('.')) {
    const flatten = segment.endsWith('[]');
    const name = flatten ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const value of current) {
      if (!isPlainObject(value) || !(name in value)) continue;
      const child = value[name];
      if (flatten && Array.isArray(child)) next.push(...child);
      else next.push(child);
    }
    current = next;
  }
  return current;
}

function conditionKey(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) throw formatError('condition key must be a non-empty string');
  return raw;
}

function isMatchValue(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || Number.isInteger(value);
}

function oneOrMany(raw: unknown): unknown[] {
  if (raw === undefined || raw === null) return [];
  return Array.isArray(raw) ? raw : [raw];
}

function asObject(raw: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(raw)) throw formatError(`${what} must be an object`);
  return raw;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
