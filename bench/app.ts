import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IssueRepository, RunRepository } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';
import { createStateStore, StateStore } from '@storesync/storage';
import { AppModule } from '../apps/server/src/app.module';
import { TimedIssueRepository, TimedRunRepository } from './instrument';
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
  // Same classes, timed (bench/instrument.ts): how long the scan waits on its own writes.
  builder = builder
    .overrideProvider(IssueRepository)
    .useFactory({ factory: (state: StateStore) => new TimedIssueRepository(state), inject: [StateStore] })
    .overrideProvider(RunRepository)
    .useFactory({ factory: (state: StateStore) => new TimedRunRepository(state), inject: [StateStore] });
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  await app.init();
  return app;
}
