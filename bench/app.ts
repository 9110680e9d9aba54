import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IssueRepository, RunRepository } from '@storesync/analysis';
import { StateStore } from '@storesync/storage';
import { AppModule } from '../apps/server/src/app.module';
import { TimedIssueRepository, TimedRunRepository } from './instrument';

/**
 * The whole service, in process, as main.ts composes it (no HTTP listener): what the
 * analysis, repair and event benches drive. `env` is the service's configuration.
 */
export async function startBenchApp(env: Record<string, string>): Promise<INestApplication> {
  // Same classes, timed (bench/instrument.ts): how long the scan waits on its own writes.
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(env)] })
    .overrideProvider(IssueRepository)
    .useFactory({ factory: (state: StateStore) => new TimedIssueRepository(state), inject: [StateStore] })
    .overrideProvider(RunRepository)
    .useFactory({ factory: (state: StateStore) => new TimedRunRepository(state), inject: [StateStore] });
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  await app.init();
  return app;
}
