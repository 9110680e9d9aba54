import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { freePort, RunningServer, startProcess, stopProcess } from './process';

/**
 * The Qdrant stand-in in a process of its own, so a fault test can SIGSTOP it like a
 * real server (the stack's usual stand-in lives inside Jest's main process). Bundled
 * into one file with esbuild: the child runs plain Node, without Jest's transform.
 */
export async function startQdrantStandinProcess(dataDir: string, port?: number): Promise<RunningServer> {
  const listenPort = port ?? (await freePort());
  const bundle = path.join(dataDir, 'qdrant-standin.cjs');
  buildSync({
    entryPoints: [path.join(__dirname, '..', 'qdrant-standin', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'error',
  });
  const child = await startProcess({
    name: 'qdrant-standin',
    command: process.execPath,
    args: [bundle, String(listenPort)],
    port: listenPort,
    logFile: path.join(dataDir, 'qdrant-standin.log'),
  });
  return { name: 'qdrant-standin', url: `http://127.0.0.1:${listenPort}`, pid: child.pid, stop: () => stopProcess(child) };
}
