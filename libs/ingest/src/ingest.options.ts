/** Tunables of the pipeline; defaults suit the hash provider and OpenAI-sized models. */
export interface IngestOptions {
  /** Characters per chunk. */
  chunkSize: number;
  /** Characters shared by consecutive chunks. */
  chunkOverlap: number;
  /** Texts per request to an embedding API. */
  embeddingBatchSize: number;
  /** Retries of a failed embedding request (429, 5xx, network, timeout). */
  embeddingMaxRetries: number;
  /** First backoff delay; doubled on each retry. */
  embeddingBackoffMs: number;
  /** Time limit of one embedding request. */
  embeddingTimeoutMs: number;
  /** Caps of one file's extraction (EXTRACT_MAX_CHARS, EXTRACT_MAX_CHUNKS, EXTRACT_TIMEOUT_MS). */
  extractMaxChars: number;
  extractMaxChunks: number;
  extractTimeoutMs: number;
  /** Heap of the extraction worker. */
  extractMemoryMb: number;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = {
  chunkSize: 1000,
  chunkOverlap: 200,
  embeddingBatchSize: 64,
  embeddingMaxRetries: 3,
  embeddingBackoffMs: 250,
  embeddingTimeoutMs: 30_000,
  extractMaxChars: 5_000_000,
  extractMaxChunks: 10_000,
  extractTimeoutMs: 30_000,
  extractMemoryMb: 512,
};

export const INGEST_OPTIONS = Symbol('INGEST_OPTIONS');
