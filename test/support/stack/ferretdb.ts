import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, goBinary, RunningServer, startProcess, stopProcess } from './process';

/** FerretDB v1 on SQLite: a real MongoDB wire-protocol server on loopback. */
export async function startFerretDb(dataDir: string, port?: number): Promise<RunningServer> {
  const listenPort = port ?? (await freePort());
  const dir = path.join(dataDir, 'ferretdb');
  fs.mkdirSync(dir, { recursive: true });
  const child = await startProcess({
    name: 'ferretdb',
    command: goBinary('ferretdb'),
    args: [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${listenPort}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    port: listenPort,
    logFile: path.join(dataDir, 'ferretdb.log'),
  });
  return {
    name: 'ferretdb',
    url: `mongodb://127.0.0.1:${listenPort}/storesync`,
    pid: child.pid,
    stop: () => stopProcess(child),
  };
}
