import type { TextFormat } from './read-text';

/** Setting names of the caps, so a refusal names what to raise. */
export type ExtractionLimitName = 'EXTRACT_MAX_CHARS' | 'EXTRACT_MAX_CHUNKS' | 'EXTRACT_TIMEOUT_MS' | 'EXTRACT_MEMORY';

/** What the worker is asked to do (one message per file). */
export interface ExtractionJob {
  path?: string;
  bytes?: Uint8Array;
  contentType?: string;
  fileName?: string;
  maxChars: number;
  maxChunks: number;
  chunkSize: number;
  chunkOverlap: number;
}

/** What it answers: chunks, or the cap it hit, or why the file could not be read, or that the job itself failed. */
export type ExtractionReply =
  | { kind: 'chunks'; format?: TextFormat; chunks: string[]; chars: number; reason?: string }
  | { kind: 'limit'; limit: ExtractionLimitName; message: string }
  | { kind: 'error'; message: string };
