import type { EmbeddingInfo, FileRecord } from '@storesync/core';

/** done; failed (the flow stopped here); skipped (not reached after a failure); not_needed (nothing to do). */
export type StepState = 'done' | 'failed' | 'skipped' | 'not_needed';

export interface UploadSteps {
  metadata: StepState;
  object: StepState;
  vectors: StepState;
  embedding: StepState;
}

export interface DeleteSteps {
  metadata: StepState;
  object: StepState;
  vectors: StepState;
  deleted_at: StepState;
}

/** An upload already streamed to a temp file, with what was measured on the way. */
export interface StagedFile {
  path: string;
  size: number;
  sha256: string;
}

/** The bytes in memory (small files: demo, tools) or staged on disk (HTTP uploads). */
export interface UploadRequest {
  userId: string;
  fileName: string;
  contentType?: string;
  bytes?: Buffer;
  file?: StagedFile;
}

export interface EmbeddingOutcome {
  embedded: boolean;
  chunks: number;
  model: string;
  /** Why nothing was embedded (type not read, no text, provider failure). */
  reason?: string;
}

export interface UploadResult {
  ok: boolean;
  record: FileRecord;
  steps: UploadSteps;
  embedding: EmbeddingOutcome;
  /** The first failure, when one stopped the flow. */
  error?: { step: keyof UploadSteps; message: string };
}

export interface DeleteResult {
  ok: boolean;
  fileId: string;
  fileKey: string;
  steps: DeleteSteps;
  error?: { step: keyof DeleteSteps; message: string };
}

export interface ReembedResult {
  fileId: string;
  embedding: EmbeddingInfo;
  /** Points removed because the file now has fewer chunks. */
  removedPoints: number;
}
