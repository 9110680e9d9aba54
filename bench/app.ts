import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../apps/server/src/app.module';

/**
 * The whole service, in process, as main.ts composes it (no HTTP listener): what the
 * analysis, repair and event benches drive. `env` is the service's configuration.
 */
export async function startBenchApp(env: Record<string, string>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  await app.init();
  return app;
}
