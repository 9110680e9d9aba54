import { Inject, Injectable } from '@nestjs/common';
import { chunkPoints, VectorPoint } from '@storesync/core';
import { chunkText } from './chunking/chunk-text';
import { EmbeddingProvider } from './embedding/embedding.provider';
import { TextExtractor } from './extraction/text-extractor';
import { INGEST_OPTIONS, IngestOptions } from './ingest.options';
import type { EmbeddingOutcome } from './pipeline.types';

export interface DocumentToEmbed {
  fileId: string;
  userId: string;
  fileName: string;
  contentType?: string;
  bytes: Buffer;
  /** SHA-256 of `bytes`, recorded on every point. */
  contentHash: string;
}

export interface EmbeddedDocument {
  points: VectorPoint[];
  outcome: EmbeddingOutcome;
}

/** Extract → chunk → embed → points. No store access: the flows decide when to write. */
@Injectable()
export class DocumentEmbedder {
  constructor(
    private readonly extractor: TextExtractor,
    private readonly provider: EmbeddingProvider,
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
  ) {}

  get model(): string {
    return this.provider.model;
  }

  /** Throws when the embedding provider fails; a file without text gives no points and a reason. */
  async embed(document: DocumentToEmbed): Promise<EmbeddedDocument> {
    const model = this.provider.model;
    const extracted = await this.extractor.extract(document.bytes, document.contentType, document.fileName);
    const chunks = extracted.text ? chunkText(extracted.text, { size: this.options.chunkSize, overlap: this.options.chunkOverlap }) : [];
    if (chunks.length === 0) {
      return { points: [], outcome: { embedded: false, chunks: 0, model, reason: extracted.reason ?? 'no text in the file' } };
    }
    const vectors = await this.provider.embed(chunks);
    const points = chunkPoints({ ...document, model }, chunks, vectors);
    return { points, outcome: { embedded: true, chunks: chunks.length, model } };
  }
}
