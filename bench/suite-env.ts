import type { BenchContext } from './suites';

/** A bench suite's progress line, on stderr so the report on stdout stays clean. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * The service's configuration on the bench stack with stores of its own: a database, a bucket and a
 * collection named `name`, so suites measured side by side never meet each other's data.
 */
export function isolatedStoreEnv(context: BenchContext, name: string, settings: Record<string, string>): Record<string, string> {
  const { env } = context.stack;
  const mongo = new URL(env.MONGODB_URI);
  mongo.pathname = `/${name}`;
  return {
    MONGODB_URI: mongo.toString(),
    S3_ENDPOINT: env.S3_ENDPOINT,
    S3_REGION: env.S3_REGION,
    S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
    S3_BUCKET: name.replace(/_/g, '-'),
    QDRANT_URL: env.QDRANT_URL,
    QDRANT_COLLECTION: name,
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
    ...settings,
  };
}
