import { badRequest } from './http-error';

export type Distance = 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';
export const DISTANCES: readonly Distance[] = ['Cosine', 'Dot', 'Euclid', 'Manhattan'];

/** Qdrant keeps f32 vectors and normalises them on write for Cosine, so scoring is a dot product. */
export function storedVector(vector: number[], distance: Distance): number[] {
  const f32 = vector.map((value) => Math.fround(value));
  if (distance !== 'Cosine') return f32;
  const norm = Math.sqrt(f32.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? f32 : f32.map((value) => Math.fround(value / norm));
}

export function score(stored: number[], query: number[], distance: Distance): number {
  let total = 0;
  for (let i = 0; i < stored.length; i++) {
    const a = stored[i];
    const b = query[i];
    if (distance === 'Euclid') total += (a - b) * (a - b);
    else if (distance === 'Manhattan') total += Math.abs(a - b);
    else total += a * b;
  }
  return distance === 'Euclid' ? Math.sqrt(total) : total;
}

/** Distances are better when smaller; similarities when larger. */
export function isBetter(a: number, b: number, distance: Distance): boolean {
  return distance === 'Euclid' || distance === 'Manhattan' ? a < b : a > b;
}

export function validateVector(raw: unknown, size: number): number[] {
  if (!Array.isArray(raw) || !raw.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    throw badRequest('vector must be an array of finite numbers');
  }
  if (raw.length !== size) throw badRequest(`Vector dimension error: expected dim: ${size}, got ${raw.length}`);
  return raw as number[];
}
