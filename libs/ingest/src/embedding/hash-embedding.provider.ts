import { EmbeddingProvider } from './embedding.provider';

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

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embedOne(text));
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
