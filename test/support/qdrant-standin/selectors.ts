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

/** Applies `with_vector`: the stand-in has only the default (unnamed) vector, named "". */
export function selectVector(vector: number[], selector: unknown, defaultValue: boolean): number[] | null {
  const spec = selector === undefined || selector === null ? defaultValue : selector;
  if (spec === true) return [...vector];
  if (spec === false) return null;
  if (Array.isArray(spec)) return spec.includes('') ? [...vector] : null;
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
