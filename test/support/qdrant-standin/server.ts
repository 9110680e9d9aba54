import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Collection } from './collection';
import { HttpError } from './http-error';
import { createRoutes, Route } from './routes';

export interface QdrantStandinOptions {
  port?: number;
  apiKey?: string;
}

export interface QdrantStandin {
  url: string;
  close(): Promise<void>;
}

// Qdrant answers these without a key (probes and the client's version check).
const PUBLIC_PATHS = ['/', '/healthz', '/livez', '/readyz'];

/** Starts the in-memory Qdrant REST stand-in on loopback. */
export async function startQdrantStandin(options: QdrantStandinOptions = {}): Promise<QdrantStandin> {
  const routes = createRoutes(new Map<string, Collection>());
  const server = http.createServer((request, response) => {
    void handle(routes, options.apiKey, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets of clients would otherwise hold close() open.
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(routes: Route[], apiKey: string | undefined, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const url = new URL(request.url ?? '/', 'http://standin');
    if (apiKey !== undefined && !PUBLIC_PATHS.includes(url.pathname)) authorize(apiKey, request);
    const method = request.method ?? 'GET';
    const match = findRoute(routes, method, url.pathname);
    const body = await readJsonBody(request);
    const result = match.route.handle({ params: match.params, body, query: url.searchParams });
    if (match.route.raw) send(response, 200, result);
    else send(response, 200, { result, status: 'ok', time: elapsed() });
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    const message = error instanceof Error ? error.message : String(error);
    send(response, status, { status: { error: message }, time: elapsed() });
  }
}

function authorize(apiKey: string, request: http.IncomingMessage): void {
  const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const given = request.headers['api-key'] ?? bearer;
  if (given === undefined) throw new HttpError(401, 'Must provide an API key or an Authorization bearer token');
  if (given !== apiKey) throw new HttpError(403, 'Invalid API key or JWT');
}

function findRoute(routes: Route[], method: string, pathname: string): { route: Route; params: string[] } {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map(decodeURIComponent) };
  }
  throw new HttpError(404, `Not found: ${method} ${pathname}`);
}

async function readJsonBody(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim().length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Format error in JSON body: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'Format error in JSON body: expected an object');
  }
  return parsed as Record<string, unknown>;
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}
