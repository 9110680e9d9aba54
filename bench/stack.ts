import { fork } from 'node:child_process';
import * as path from 'node:path';
import { startStack, StackEnv } from '../test/support/stack';

export interface BenchStack {
  env: StackEnv;
  /** What was started here (empty when every URL came from the environment). */
  started: string[];
  stop(): Promise<void>;
}

/** Forks the Qdrant stand-in (bench/standin.main.ts) and resolves with its URL. */
async function forkStandin(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = fork(path.join(__dirname, 'standin.main.js'), [], {
    // A million points with their vectors and payloads need more than the default heap.
    execArgv: ['--max-old-space-size=6144'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`qdrant stand-in exited with ${code}`)));
    child.once('error', reject);
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The real test stack (FerretDB, MinIO, the Qdrant stand-in) unless MONGODB_URI,
 * S3_ENDPOINT and QDRANT_URL point elsewhere. The stand-in runs in a child process.
 */
export async function startBenchStack(env: NodeJS.ProcessEnv = process.env): Promise<BenchStack> {
  const standin = env.QDRANT_URL ? null : await forkStandin();
  try {
    // Redis is not used by a single bench process (the run lock falls back to in-process).
    const stack = await startStack({ ...env, QDRANT_URL: env.QDRANT_URL ?? standin!.url, REDIS_URL: env.REDIS_URL ?? 'redis://unused' });
    return {
      env: stack.env,
      started: [...stack.started, ...(standin ? [`qdrant-standin ${standin.url} (child process)`] : [])],
      stop: async () => {
        await stack.stop();
        await standin?.stop();
      },
    };
  } catch (error) {
    await standin?.stop();
    throw error;
  }
}
