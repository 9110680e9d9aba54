import { Injectable } from '@nestjs/common';
import { chunkPoints, VectorPoint } from '@storesync/core';
import { EmbeddingProvider } from './embedding/embedding.provider';
import { ExtractedChunks, ExtractionRunner, ExtractionSource } from './extraction/extraction-runner';
import type { EmbeddingOutcome } from './pipeline.types';

export interface DocumentToEmbed {
  fileId: string;
  userId: string;
  fileName: string;
  contentType?: string;
  /** SHA-256 of the file's bytes, recorded on every point. */
  contentHash: string;
}

export interface EmbeddedDocument {
  points: VectorPoint[];
  outcome: EmbeddingOutcome;
}

/** Extract → chunk (in a worker, capped) → embed → points. No store access: the flows decide when to write. */
@Injectable()
export class DocumentEmbedder {
  constructor(
    private readonly extraction: ExtractionRunner,
    private readonly provider: EmbeddingProvider,
  ) {}

  get model(): string {
    return this.provider.model;
  }

  /** Throws ExtractionLimitError when the file is over a cap; a file without text gives no chunks and a reason. */
  chunk(source: ExtractionSource, contentType: string | undefined, fileName: string): Promise<ExtractedChunks> {
    return this.extraction.extract(source, contentType, fileName);
  }

  /** Throws when the embedding provider fails. */
  async embedChunks(document: DocumentToEmbed, extracted: ExtractedChunks): Promise<EmbeddedDocument> {
    const model = this.provider.model;
    const { chunks } = extracted;
    if (chunks.length === 0) {
      return { points: [], outcome: { embedded: false, chunks: 0, model, reason: extracted.reason ?? 'no text in the file' } };
    }
    const vectors = await this.provider.embed(chunks);
    const points = chunkPoints({ ...document, model }, chunks, vectors);
    return { points, outcome: { embedded: true, chunks: chunks.length, model } };
  }

  /** chunk, then embedChunks. */
  async embed(document: DocumentToEmbed & { source: ExtractionSource }): Promise<EmbeddedDocument> {
    return this.embedChunks(document, await this.chunk(document.source, document.contentType, document.fileName));
  }
}
