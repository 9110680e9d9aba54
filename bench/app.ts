import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig } from '@storesync/config';
import { createStateStore, StateStore } from '@storesync/storage';
import { AppModule } from '../apps/server/src/app.module';
import { ChunkedStateStore } from './workarounds';

export interface BenchAppOptions {
  /** Chunk state upserts (bench/workarounds.ts); off reproduces the FerretDB deadlock. */
  workarounds?: boolean;
}

/**
 * The whole service, in process, as main.ts composes it (no HTTP listener): what the
 * analysis, repair and event benches drive. `env` is the service's configuration.
 */
export async function startBenchApp(env: Record<string, string>, options: BenchAppOptions = {}): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(env)] });
  if (options.workarounds ?? true) {
    builder = builder
      .overrideProvider(StateStore)
      .useFactory({ factory: (config: AppConfig) => new ChunkedStateStore(createStateStore(config)), inject: [AppConfig] });
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  await app.init();
  return app;
}
