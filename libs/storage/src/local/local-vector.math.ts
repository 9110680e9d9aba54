/** Vectors are kept as little-endian Float32 BLOBs, as Qdrant keeps f32. */
export function toVectorBlob(vector: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(vector).buffer);
}

export function fromVectorBlob(blob: Uint8Array): Float32Array {
  // Copy: the BLOB's offset in its buffer need not be 4-byte aligned.
  return new Float32Array(Uint8Array.from(blob).buffer);
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  // Qdrant leaves a zero vector unnormalised, so its cosine score is 0.
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** The best `limit` items by score (ties by id), kept without holding every candidate. */
export class NearestList<T> {
  private readonly entries: Array<{ id: string; score: number; item: T }> = [];

  constructor(private readonly limit: number) {}

  offer(id: string, score: number, item: T): void {
    if (this.limit <= 0) return;
    const entry = { id, score, item };
    const position = this.entries.findIndex((other) => before(entry, other));
    if (position === -1) {
      if (this.entries.length < this.limit) this.entries.push(entry);
      return;
    }
    this.entries.splice(position, 0, entry);
    if (this.entries.length > this.limit) this.entries.pop();
  }

  sorted(): Array<{ id: string; score: number; item: T }> {
    return [...this.entries];
  }
}

function before(a: { id: string; score: number }, b: { id: string; score: number }): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}
