import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startQdrantStandin } from '../qdrant-standin';
import { startFerretDb } from './ferretdb';
import { MINIO_ACCESS_KEY, MINIO_SECRET_KEY, startMinio } from './minio';
import { RunningServer } from './process';
import { startRedis } from './redis';

export { freePort } from './process';
export type { RunningServer } from './process';
export { startFerretDb } from './ferretdb';
export { startMinio, minioWebhookArn, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, type MinioWebhookTarget } from './minio';

/** Connection settings of the running stack, in the service's own variable names. */
export interface StackEnv {
  MONGODB_URI: string;
  S3_ENDPOINT: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  S3_REGION: string;
  QDRANT_URL: string;
  QDRANT_API_KEY?: string;
  REDIS_URL: string;
}

export interface Stack {
  env: StackEnv;
  dataDir: string;
  started: string[];
  stop(): Promise<void>;
}

/**
 * Starts every server the env does not already point at (MONGODB_URI, S3_ENDPOINT,
 * QDRANT_URL, REDIS_URL), each on a free loopback port (or STACK_FERRETDB_PORT,
 * STACK_MINIO_PORT, STACK_QDRANT_PORT) with data in a temp dir.
 */
export async function startStack(env: NodeJS.ProcessEnv = process.env): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-stack-'));
  const servers: RunningServer[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = (name: string) => (env[name] ? Number(env[name]) : undefined);
    const [mongo, s3, qdrant, redis] = await Promise.all([
      env.MONGODB_URI ? null : startFerretDb(dataDir, port('STACK_FERRETDB_PORT')),
      env.S3_ENDPOINT ? null : startMinio(dataDir, port('STACK_MINIO_PORT')),
      env.QDRANT_URL ? null : startQdrantStandin({ port: port('STACK_QDRANT_PORT') }).then((s) => ({ name: 'qdrant-standin', url: s.url, stop: s.close })),
      env.REDIS_URL ? null : startRedis(dataDir),
    ]);
    for (const server of [mongo, s3, qdrant, redis]) if (server) servers.push(server);
    return {
      dataDir,
      started: servers.map((s) => `${s.name} ${s.url}`),
      env: {
        MONGODB_URI: env.MONGODB_URI ?? mongo!.url,
        S3_ENDPOINT: env.S3_ENDPOINT ?? s3!.url,
        S3_ACCESS_KEY_ID: env.S3_ENDPOINT ? (env.S3_ACCESS_KEY_ID ?? '') : MINIO_ACCESS_KEY,
        S3_SECRET_ACCESS_KEY: env.S3_ENDPOINT ? (env.S3_SECRET_ACCESS_KEY ?? '') : MINIO_SECRET_KEY,
        S3_REGION: env.S3_REGION ?? 'us-east-1',
        QDRANT_URL: env.QDRANT_URL ?? qdrant!.url,
        QDRANT_API_KEY: env.QDRANT_API_KEY,
        REDIS_URL: env.REDIS_URL ?? redis!.url,
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
export { startQdrantStandinProcess } from './qdrant-process';
export { pause, whilePaused } from './pause';
export { startPrivateStack, type PrivateStack } from './private-stack';
