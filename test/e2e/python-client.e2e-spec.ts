import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ERROR_CATALOGUE } from '@storesync/contract';
import { EventPublisher } from '@storesync/events';
import { startQdrantStandin } from '../support/qdrant-standin';
import { seedFile } from '../support/seed';
import { uniqueName } from '../support/factories';
import { startTestServer, TestServer } from '../support/server';

const root = path.join(__dirname, '../..');
const pythonDir = path.join(root, 'clients/python');
const artifacts = path.join(root, 'test-artifacts');
const MAX_UPLOAD_BYTES = 4096;

/** A Qdrant that passes through to the stand-in until told to fail: then every request waits, then answers 503. */
async function startSlowFailingQdrant(delayMs: number) {
  const standin = await startQdrantStandin();
  let failing = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failing) {
        setTimeout(() => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: { error: 'injected fault' }, time: 0 }));
        }, delayMs);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value;
      }
      const body = Buffer.concat(chunks);
      fetch(`${standin.url}${req.url}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body })
        .then(async (upstream) => {
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch((error: unknown) => {
          res.writeHead(502);
          res.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fail() {
      failing = true;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await standin.close();
    },
  };
}

/** What the Python tests cannot do over the API: publish a burst of events in one turn on the server's bus. */
async function startControl(target: TestServer) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/burst') {
        const { user_id: userId, count } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { user_id: string; count: number };
        const bus = target.app.get(EventPublisher);
        for (let i = 0; i < count; i++) bus.publish('file.deleted', { file_key: `${userId}/burst-${i}` }, { userId, fileId: `burst-${i}` });
        res.writeHead(204).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function runPytest(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-m', 'pytest', 'clients/python/tests', '-q', '-p', 'no:cacheprovider', '-o', 'console_output_style=classic'], {
      cwd: root,
      // The tree's own package first, whatever version pip installed.
      env: { ...process.env, PYTHONPATH: path.join(pythonDir, 'src'), PYTHONUNBUFFERED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the Python client (clients/python, pytest) against the real server on the real stack', () => {
  let main: TestServer;
  let degraded: TestServer;
  let breaker: TestServer;
  let qdrant: Awaited<ReturnType<typeof startSlowFailingQdrant>>;
  let control: Awaited<ReturnType<typeof startControl>>;

  beforeAll(async () => {
    const deps = spawnSync('python3', ['-c', 'import httpx, socketio, aiohttp, pytest, pytest_asyncio'], { encoding: 'utf8' });
    if (deps.status !== 0)
      throw new Error(`the Python client's dependencies are missing: pip install -e 'clients/python[test]' (.ci/run does)\n${deps.stderr}`);
    main = await startTestServer({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
    qdrant = await startSlowFailingQdrant(1500);
    degraded = await startTestServer({ QDRANT_URL: qdrant.url });
    breaker = await startTestServer({ SYNC_MAX_DELETE_MIN: '5', EVENT_QUEUE_SIZE: '10' });
    control = await startControl(main);
  });

  afterAll(async () => {
    await Promise.allSettled([main?.close(), degraded?.close(), breaker?.close(), control?.close()]);
    await qdrant?.close();
  });

  it('passes every pytest test: REST sync and async, typed errors, realtime replay, the design note examples', async () => {
    const alice = uniqueName('py-alice');
    const bob = uniqueName('py-bob');
    const ok = await seedFile(main.stores, { userId: alice, fileId: `${alice}-ok` }, 'a consistent file about rivers');
    const noVectors = await seedFile(main.stores, { userId: alice, fileId: `${alice}-no-vectors` }, 'a file whose vectors were lost');
    const noObject = await seedFile(main.stores, { userId: alice, fileId: `${alice}-no-object` }, 'a file whose bytes were lost');
    await main.stores.vectors.deleteByFileId(noVectors.record.fileId);
    await main.stores.objects.delete(noObject.record.fileKey);
    await seedFile(main.stores, { userId: bob, fileId: `${bob}-one` }, 'the only file of bob');

    await seedFile(degraded.stores, { userId: 'erin', fileId: 'erin-unchecked' });
    await degraded.stores.objects.put('erin/orphan.bin', Buffer.from('maybe an orphan'));
    qdrant.fail();

    await seedFile(breaker.stores, { userId: 'dora', fileId: 'kept-1' });
    await seedFile(breaker.stores, { userId: 'dora', fileId: 'kept-2' });
    for (let i = 0; i < 20; i++) await breaker.stores.objects.put(`dora/lost-${i}.txt`, Buffer.from(`bytes ${i}`));

    const seed = {
      alice,
      alice_files: { ok: ok.record.fileId, no_vectors: noVectors.record.fileId, no_object: noObject.record.fileId },
      bob,
      max_upload_bytes: MAX_UPLOAD_BYTES,
      control_url: control.url,
      degraded: { url: degraded.url, token: degraded.token, orphan_key: 'erin/orphan.bin' },
      breaker: { url: breaker.url, token: breaker.token, orphans: 20 },
      // The contract's codes and statuses: the client must have a class for each.
      error_codes: Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, { status }]) => [code, status])),
    };
    const { code, output } = await runPytest({
      STORESYNC_URL: main.url,
      STORESYNC_TOKEN: main.token,
      STORESYNC_SEED: JSON.stringify(seed),
      STORESYNC_ARTIFACTS: artifacts,
    });
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'python-client-pytest.txt'), output);
    if (code !== 0) throw new Error(`pytest exited ${code} (5 means it collected no tests):\n${output}`);
    expect(output).toMatch(/\b\d+ passed\b/);
    expect(output).not.toMatch(/\b(failed|error|skipped)\b/);
  }, 300_000);
});
