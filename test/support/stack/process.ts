import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface RunningServer {
  name: string;
  url: string;
  /** The server's own process, when it runs in one (fault tests stop it with SIGSTOP). */
  pid?: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function goBinary(name: string): string {
  const gobin = execFileSync('go', ['env', 'GOBIN'], { encoding: 'utf8' }).trim();
  const dir = gobin || path.join(execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim(), 'bin');
  const binary = path.join(dir, name);
  if (!fs.existsSync(binary)) {
    execFileSync('bash', [buildScript()], { stdio: 'inherit' });
  }
  return binary;
}

// This file runs from test/support/stack under Jest and from dist/test/support/stack under `npm run stack`.
function buildScript(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const script = path.join(dir, 'scripts', 'build-servers.sh');
    if (fs.existsSync(script)) return script;
    if (path.dirname(dir) === dir) throw new Error(`scripts/build-servers.sh not found above ${__dirname}`);
  }
}

export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}

/** Starts a server process, logging to a file, and waits for its port. */
export async function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  port: number;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}): Promise<ChildProcess> {
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  try {
    await waitForPort(options.port, options.readyTimeoutMs ?? 30000, child);
  } catch (error) {
    child.kill('SIGKILL');
    const tail = fs.readFileSync(options.logFile, 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`${options.name} did not start: ${(error as Error).message}\n${tail}`, { cause: error });
  }
  return child;
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
