import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, goBinary, RunningServer, startProcess, stopProcess } from './process';

export const MINIO_ACCESS_KEY = 'storesync';
export const MINIO_SECRET_KEY = 'storesync-secret';

/** A webhook notification target: MinIO POSTs bucket events to `endpoint` with `Authorization: Bearer <authToken>`. */
export interface MinioWebhookTarget {
  /** The target's identifier: its ARN is `arn:minio:sqs::<id>:webhook`. */
  id: string;
  endpoint: string;
  authToken: string;
}

/** MinIO names a target by its id as the variables spell it: upper case here. */
export const minioWebhookArn = (id: string) => `arn:minio:sqs::${id.toUpperCase()}:webhook`;

/** The environment that declares webhook targets (MinIO reads them at start). */
function webhookEnv(targets: MinioWebhookTarget[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const t of targets) {
    const id = t.id.toUpperCase();
    env[`MINIO_NOTIFY_WEBHOOK_ENABLE_${id}`] = 'on';
    env[`MINIO_NOTIFY_WEBHOOK_ENDPOINT_${id}`] = t.endpoint;
    env[`MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_${id}`] = t.authToken;
  }
  return env;
}

/** MinIO single-drive server (supports versioning) on loopback, with any webhook targets given. */
export async function startMinio(dataDir: string, port?: number, webhooks: MinioWebhookTarget[] = []): Promise<RunningServer> {
  const listenPort = port ?? (await freePort());
  const consolePort = await freePort();
  const dir = path.join(dataDir, 'minio');
  fs.mkdirSync(dir, { recursive: true });
  const child = await startProcess({
    name: 'minio',
    command: goBinary('minio'),
    args: ['server', dir, '--address', `127.0.0.1:${listenPort}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'],
    port: listenPort,
    logFile: path.join(dataDir, 'minio.log'),
    env: {
      MINIO_ROOT_USER: MINIO_ACCESS_KEY,
      MINIO_ROOT_PASSWORD: MINIO_SECRET_KEY,
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
      MINIO_CALLHOME_ENABLE: 'off',
      ...webhookEnv(webhooks),
    },
    readyTimeoutMs: 60000,
  });
  const url = `http://127.0.0.1:${listenPort}`;
  // The port opens before the object layer is ready; wait for the readiness probe.
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/minio/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { name: 'minio', url, pid: child.pid, stop: () => stopProcess(child) };
}
