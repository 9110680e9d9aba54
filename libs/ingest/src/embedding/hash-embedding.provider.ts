import { setImmediate as nextTurn } from 'node:timers/promises';
import { EmbeddingProvider } from './embedding.provider';

/** Texts hashed between two yields to the event loop (a few ms of work for 1,000-character chunks). */
const TEXTS_PER_TURN = 32;

const TOKEN = /[\p{L}\p{N}]+/gu;

/**
 * Deterministic feature hashing of words and word pairs, L2-normalised: no network,
 * no model, same text → same vector on every instance. Good enough to find chunks
 * sharing words; the default so the service works offline.
 */
export class HashEmbeddingProvider extends EmbeddingProvider {
  constructor(
    readonly model: string,
    readonly dimension: number,
  ) {
    super();
  }

  /** Yields to the event loop every few texts: a file of thousands of chunks must not stall other requests. */
  async embed(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i++) {
      if (i > 0 && i % TEXTS_PER_TURN === 0) await nextTurn();
      vectors.push(this.embedOne(texts[i]));
    }
    return vectors;
  }

  embedOne(text: string): number[] {
    const vector = new Float64Array(this.dimension);
    const tokens = text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
    const features = tokens.length > 0 ? tokens : Array.from(text);
    features.forEach((token, i) => {
      this.add(vector, token, 1);
      if (i > 0) this.add(vector, `${features[i - 1]} ${token}`, 0.5);
    });
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm);
    // Empty text has no features; a unit vector keeps cosine distance defined.
    if (norm === 0) {
      vector[0] = 1;
      norm = 1;
    }
    return Array.from(vector, (v) => v / norm);
  }

  private add(vector: Float64Array, feature: string, weight: number): void {
    const hash = fnv1a(feature);
    // The top bit picks the sign so collisions cancel out on average instead of piling up.
    vector[hash % this.dimension] += hash & 0x80000000 ? -weight : weight;
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
