import type { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { MetadataStore, ObjectStore, StateStore, VectorStore } from '@storesync/storage';
import { AppModule } from '../../apps/server/src/app.module';
import { ApiTokenService } from '../../apps/server/src/auth/api-token.service';
import { configureApp } from '../../apps/server/src/bootstrap';
import { uniqueName } from './factories';

export interface TestServer {
  url: string;
  token: string;
  app: INestApplication;
  stores: { metadata: MetadataStore; objects: ObjectStore; vectors: VectorStore; state: StateStore };
  close(): Promise<void>;
}

/** Settings that give one test server its own database, bucket and collection on the shared stack. */
export function isolatedStackEnv(): Record<string, string> {
  const name = uniqueName('t').replace(/-/g, '_');
  const mongo = new URL(process.env.MONGODB_URI!);
  mongo.pathname = `/${name}`;
  return {
    MONGODB_URI: mongo.toString(),
    S3_ENDPOINT: process.env.S3_ENDPOINT!,
    S3_ACCESS_KEY_ID: process.env.S3_ACCESS_KEY_ID ?? '',
    S3_SECRET_ACCESS_KEY: process.env.S3_SECRET_ACCESS_KEY ?? '',
    S3_REGION: process.env.S3_REGION ?? 'us-east-1',
    S3_BUCKET: name.replace(/_/g, '-'),
    QDRANT_URL: process.env.QDRANT_URL!,
    QDRANT_COLLECTION: name,
  };
}

/**
 * The full app on the real test stack (FerretDB, MinIO, the Qdrant stand-in), with
 * its own database, bucket and collection, listening on a free loopback port.
 */
export async function startTestServer(
  overrides: Record<string, string> = {},
  options: {
    port?: number;
    /** Replaces providers (a misbehaving repair action, say); store clients stay real. */
    customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  } = {},
): Promise<TestServer> {
  const customize = options.customize ?? ((builder: TestingModuleBuilder) => builder);
  const env = {
    SYNC_API_TOKEN: 'test-admin-token-0123456789',
    SYNC_GRACE_SECONDS: '0',
    LOG_LEVEL: 'warn',
    STORE_TIMEOUT_MS: '3000',
    // Suites send many deliberately bad tokens; the limiter's own suite sets a small limit.
    AUTH_FAILURE_LIMIT: '1000000',
    // Tests that are about change feeds turn them on; elsewhere a poll would check seeded files behind the test's back.
    CHANGE_FEED_METADATA: 'off',
    ...isolatedStackEnv(),
    ...overrides,
  };
  const moduleRef = await customize(Test.createTestingModule({ imports: [AppModule.forRoot(env)] })).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
  configureApp(app);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    token: app.get(ApiTokenService).token,
    app,
    stores: {
      metadata: app.get(MetadataStore),
      objects: app.get(ObjectStore),
      vectors: app.get(VectorStore),
      state: app.get(StateStore),
    },
    close: () => app.close(),
  };
}
