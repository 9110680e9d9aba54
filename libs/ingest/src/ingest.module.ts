import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { DocumentEmbedder } from './document-embedder';
import { EmbeddingProvider } from './embedding/embedding.provider';
import { HashEmbeddingProvider } from './embedding/hash-embedding.provider';
import { OpenAiEmbeddingProvider } from './embedding/openai-embedding.provider';
import { ExtractionRunner } from './extraction/extraction-runner';
import { TextExtractor } from './extraction/text-extractor';
import { FilePipelineService } from './file-pipeline.service';
import { DEFAULT_INGEST_OPTIONS, INGEST_OPTIONS, IngestOptions } from './ingest.options';

export function createEmbeddingProvider(config: AppConfig, options: IngestOptions): EmbeddingProvider {
  const { provider, model, dimension, url, apiKey } = config.embedding;
  if (provider === 'openai') {
    if (!url) throw new Error('EMBEDDING_URL is required when EMBEDDING_PROVIDER=openai');
    return new OpenAiEmbeddingProvider({
      url,
      apiKey,
      model,
      dimension,
      batchSize: options.embeddingBatchSize,
      maxRetries: options.embeddingMaxRetries,
      backoffMs: options.embeddingBackoffMs,
      timeoutMs: options.embeddingTimeoutMs,
    });
  }
  return new HashEmbeddingProvider(model, dimension);
}

/** Options from configuration (CHUNK_SIZE, EMBEDDING_* …), unless a caller passes its own. */
const providers = (options?: Partial<IngestOptions>): Provider[] => [
  {
    provide: INGEST_OPTIONS,
    inject: [AppConfig],
    useFactory: (config: AppConfig): IngestOptions => ({
      ...DEFAULT_INGEST_OPTIONS,
      ...config.ingest,
      extractMaxChars: config.extraction.maxChars,
      extractMaxChunks: config.extraction.maxChunks,
      extractTimeoutMs: config.extraction.timeoutMs,
      ...options,
    }),
  },
  { provide: EmbeddingProvider, inject: [AppConfig, INGEST_OPTIONS], useFactory: createEmbeddingProvider },
  TextExtractor,
  ExtractionRunner,
  DocumentEmbedder,
  FilePipelineService,
];

/** The file pipeline: upload/delete flows, extraction, chunking, embedding. Stores come from the global StorageModule. */
@Module({
  providers: providers(),
  exports: [FilePipelineService, EmbeddingProvider, TextExtractor],
})
export class IngestModule {
  /** The same module with tuned chunking or embedding request settings. */
  static withOptions(options: Partial<IngestOptions>): DynamicModule {
    return {
      module: IngestModule,
      providers: providers(options),
      exports: [FilePipelineService, EmbeddingProvider, TextExtractor],
    };
  }
}
