/** Turns chunks of text into vectors. Used as the DI token; the adapter is picked by EMBEDDING_PROVIDER. */
export abstract class EmbeddingProvider {
  /** Recorded on points and metadata so stale embeddings can be told apart. */
  abstract readonly model: string;
  abstract readonly dimension: number;

  /** One vector of `dimension` numbers per text, in order. */
  abstract embed(texts: string[]): Promise<number[][]>;
}

export class EmbeddingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddingError';
  }
}
