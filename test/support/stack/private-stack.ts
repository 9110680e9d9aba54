import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFerretDb } from './ferretdb';
import { MINIO_ACCESS_KEY, MINIO_SECRET_KEY, startMinio } from './minio';
import { RunningServer } from './process';
import { startQdrantStandinProcess } from './qdrant-process';

/** One test file's own FerretDB, MinIO and Qdrant stand-in, each a process with a pid. */
export interface PrivateStack {
  servers: { mongodb: RunningServer; s3: RunningServer; qdrant: RunningServer };
  /** The service's variables pointing at these servers. */
  env: Record<string, string>;
  pid(store: 'mongodb' | 's3' | 'qdrant'): number;
  stop(): Promise<void>;
}

/**
 * Fault tests stop servers with SIGSTOP; on the shared stack that would freeze every other
 * test file running beside them, so they start servers of their own.
 */
export async function startPrivateStack(): Promise<PrivateStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-fault-'));
  const started: RunningServer[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop().catch(() => undefined)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const [mongodb, s3, qdrant] = await Promise.all([
      startFerretDb(dataDir).then((s) => (started.push(s), s)),
      startMinio(dataDir).then((s) => (started.push(s), s)),
      startQdrantStandinProcess(dataDir).then((s) => (started.push(s), s)),
    ]);
    return {
      servers: { mongodb, s3, qdrant },
      env: {
        MONGODB_URI: mongodb.url,
        S3_ENDPOINT: s3.url,
        S3_ACCESS_KEY_ID: MINIO_ACCESS_KEY,
        S3_SECRET_ACCESS_KEY: MINIO_SECRET_KEY,
        S3_REGION: 'us-east-1',
        QDRANT_URL: qdrant.url,
      },
      pid: (store) => {
        const pid = { mongodb, s3, qdrant }[store].pid;
        if (pid === undefined) throw new Error(`${store} has no process of its own`);
        return pid;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
