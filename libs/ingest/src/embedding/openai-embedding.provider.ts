import { Logger } from '@nestjs/common';
import { EmbeddingError, EmbeddingProvider } from './embedding.provider';

export interface OpenAiEmbeddingSettings {
  /** Base URL (`https://host`, `https://host/v1`) or the full `/embeddings` endpoint. */
  url: string;
  apiKey?: string;
  model: string;
  dimension: number;
  batchSize: number;
  maxRetries: number;
  backoffMs: number;
  timeoutMs: number;
}

interface EmbeddingsResponse {
  data?: { index: number; embedding: number[] }[];
}

class RetryableError extends EmbeddingError {}

/** An OpenAI-compatible `POST /v1/embeddings`, batched, retried with exponential backoff, time-limited. */
export class OpenAiEmbeddingProvider extends EmbeddingProvider {
  private readonly logger = new Logger(OpenAiEmbeddingProvider.name);
  readonly model: string;
  readonly dimension: number;
  readonly endpoint: string;

  constructor(private readonly settings: OpenAiEmbeddingSettings) {
    super();
    this.model = settings.model;
    this.dimension = settings.dimension;
    this.endpoint = embeddingsEndpoint(settings.url);
  }

  async embed(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += this.settings.batchSize) {
      vectors.push(...(await this.withRetries(texts.slice(i, i + this.settings.batchSize))));
    }
    return vectors;
  }

  private async withRetries(batch: string[]): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request(batch);
      } catch (error) {
        if (!(error instanceof RetryableError) || attempt >= this.settings.maxRetries) {
          throw error instanceof EmbeddingError ? error : new EmbeddingError((error as Error).message, { cause: error });
        }
        const delay = this.settings.backoffMs * 2 ** attempt;
        this.logger.warn({ message: 'embedding request failed, retrying', attempt: attempt + 1, delayMs: delay, error: error.message });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async request(batch: string[]): Promise<number[][]> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.model, input: batch }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `timed out after ${this.settings.timeoutMs} ms` : (error as Error).message;
      throw new RetryableError(`embedding request failed: ${reason}`, { cause: error });
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      const message = `embedding API answered ${response.status}: ${detail}`;
      if (response.status === 429 || response.status >= 500) throw new RetryableError(message);
      throw new EmbeddingError(message);
    }
    const body = (await response.json().catch(() => ({}))) as EmbeddingsResponse;
    const data = [...(body.data ?? [])].sort((a, b) => a.index - b.index);
    if (data.length !== batch.length) {
      throw new EmbeddingError(`embedding API returned ${data.length} vectors for ${batch.length} texts`);
    }
    for (const item of data) {
      if (!Array.isArray(item.embedding) || item.embedding.length !== this.dimension) {
        throw new EmbeddingError(`embedding API returned a vector of ${item.embedding?.length ?? 0} numbers, expected ${this.dimension} (EMBEDDING_DIMENSION)`);
      }
    }
    return data.map((item) => item.embedding);
  }
}

export function embeddingsEndpoint(url: string): string {
  const base = url.replace(/\/+$/, '');
  if (base.endsWith('/embeddings')) return base;
  if (base.endsWith('/v1')) return `${base}/embeddings`;
  return `${base}/v1/embeddings`;
}
