import { formatError } from './http-error';
import { Payload } from './filter';

/** Applies `with_payload`: true, false, a list of fields, or `{ include }` / `{ exclude }`. */
export function selectPayload(payload: Payload, selector: unknown, defaultValue: boolean): Payload | null {
  const spec = selector === undefined || selector === null ? defaultValue : selector;
  if (spec === true) return { ...payload };
  if (spec === false) return null;
  if (Array.isArray(spec)) return pick(payload, fieldList(spec));
  if (typeof spec === 'object') {
    const { include, exclude } = spec as { include?: unknown; exclude?: unknown };
    if (include !== undefined) return pick(payload, fieldList(include));
    if (exclude !== undefined) {
      const excluded = new Set(fieldList(exclude));
      return Object.fromEntries(Object.entries(payload).filter(([key]) => !excluded.has(key)));
    }
  }
  throw formatError('with_payload must be a boolean, a list of fields, or { include } / { exclude }');
}

/**
 * Applies `with_vector`: true, false or a list of names. A collection with one unnamed
 * vector (named "") answers it as an array; named vectors as an object by name.
 */
export function selectVector(vectors: Map<string, number[]>, selector: unknown, defaultValue: boolean): number[] | Record<string, number[]> | null {
  const spec = selector === undefined || selector === null ? defaultValue : selector;
  if (spec === false) return null;
  const unnamed = vectors.get('');
  if (spec === true) return unnamed ? [...unnamed] : Object.fromEntries([...vectors].map(([name, v]) => [name, [...v]]));
  if (Array.isArray(spec)) {
    if (unnamed) return spec.includes('') ? [...unnamed] : null;
    return Object.fromEntries([...vectors].filter(([name]) => spec.includes(name)).map(([name, v]) => [name, [...v]]));
  }
  throw formatError('with_vector must be a boolean or a list of vector names');
}

function pick(payload: Payload, fields: string[]): Payload {
  return Object.fromEntries(fields.filter((field) => field in payload).map((field) => [field, payload[field]]));
}

function fieldList(raw: unknown): string[] {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || !list.every((field) => typeof field === 'string')) {
    throw formatError('payload selector must list field names');
  }
  return list;
}
