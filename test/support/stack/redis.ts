import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, RunningServer, startProcess, stopProcess } from './process';

function isOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The machine's Redis at 127.0.0.1:6379 when it runs, else a private one from redis-server. */
export async function startRedis(dataDir: string): Promise<RunningServer> {
  if (await isOpen(6379)) {
    return { name: 'redis', url: 'redis://127.0.0.1:6379', stop: async () => undefined };
  }
  const port = await freePort();
  const child = await startProcess({
    name: 'redis',
    command: 'redis-server',
    args: ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dataDir],
    port,
    logFile: path.join(dataDir, 'redis.log'),
  });
  return { name: 'redis', url: `redis://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}
