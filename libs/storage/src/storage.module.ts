import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { MetadataStore, ObjectStore, StateStore, VectorStore } from './ports';
import { observeStore, StoreCallEvents } from './observed/store-calls';
import { createMetadataStore, createObjectStore, createStateStore, createVectorStore } from './store-factories';
import { StoreHealthService } from './store-health.service';

/**
 * Provides the store ports, each picked by configuration (real or embedded) and observed:
 * every call is reported to StoreCallEvents (latency and errors per store, for metrics).
 */
@Global()
@Module({
  providers: [
    StoreCallEvents,
    {
      provide: MetadataStore,
      inject: [AppConfig, StoreCallEvents],
      useFactory: (c: AppConfig, e: StoreCallEvents) => observeStore(createMetadataStore(c), 'mongodb', e),
    },
    {
      provide: ObjectStore,
      inject: [AppConfig, StoreCallEvents],
      useFactory: (c: AppConfig, e: StoreCallEvents) => observeStore(createObjectStore(c), 's3', e),
    },
    {
      provide: VectorStore,
      inject: [AppConfig, StoreCallEvents],
      useFactory: (c: AppConfig, e: StoreCallEvents) => observeStore(createVectorStore(c), 'qdrant', e),
    },
    {
      provide: StateStore,
      inject: [AppConfig, StoreCallEvents],
      useFactory: (c: AppConfig, e: StoreCallEvents) => observeStore(createStateStore(c), 'state', e),
    },
    StoreHealthService,
  ],
  exports: [MetadataStore, ObjectStore, VectorStore, StateStore, StoreHealthService, StoreCallEvents],
})
export class StorageModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StorageModule.name);

  constructor(
    @Inject(MetadataStore) private readonly metadata: MetadataStore,
    @Inject(ObjectStore) private readonly objects: ObjectStore,
    @Inject(VectorStore) private readonly vectors: VectorStore,
    @Inject(StateStore) private readonly state: StateStore,
    private readonly config: AppConfig,
  ) {}

  /**
   * A store that is down at start must not stop the service: it starts, reports the
   * store down on /api/health and in analyses, and init is retried by the next use.
   */
  async onModuleInit(): Promise<void> {
    const results = await Promise.allSettled([this.metadata.init(), this.objects.init(), this.vectors.init(this.config.embedding.dimension)]);
    const names = ['mongodb', 's3', 'qdrant'];
    const kinds = [this.metadata.kind, this.objects.kind, this.vectors.kind];
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        this.logger.warn({
          message: 'store not ready at start',
          store: names[i],
          kind: kinds[i],
          error: result.reason instanceof Error ? result.reason.message : 'unknown error',
        });
      } else {
        this.logger.log({ message: 'store ready', store: names[i], kind: kinds[i] });
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.metadata.close(), this.objects.close(), this.vectors.close(), this.state.close()]);
  }
}
