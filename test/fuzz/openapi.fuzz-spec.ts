import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/server';

/** Per operation and phase; ~25 operations × (examples + coverage + fuzzing) gives a few thousand requests. */
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 200);
/** The fuzzer is killed past this: a hang is a failure, not a slow pass. */
const FUZZ_DEADLINE_MS = 150_000;
/** Text that must never reach a client: store drivers, stacks, paths. */
const LEAKS = [/MongoServerError/i, /MongoError/i, /SQLITE/i, /FerretDB/i, /\bat \//, /node_modules/, /\.ts:\d+/, /\.js:\d+/, /ECONNREFUSED/, /S3ServiceException/, /Error: /];

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number; content?: { text?: string; mimeType?: string } };
}

function runSchemathesis(server: TestServer, harPath: string): Promise<{ code: number | null; output: string }> {
  const args = [
    'run',
    `${server.url}/api/docs-json`,
    '--url', server.url,
    '--checks', 'not_a_server_error',
    '--phases', 'examples,coverage,fuzzing',
    '--max-examples', String(MAX_EXAMPLES),
    '--seed', process.env.FUZZ_SEED ?? '12',
    '--workers', '2',
    '--request-timeout', '20',
    '--continue-on-failure',
    '--no-shrink',
    '--generation-database', 'none',
    '--suppress-health-check', 'all',
    '--report', 'har',
    '--report-har-path', harPath,
    '--no-color',
    '-H', `Authorization: Bearer ${server.token}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('schemathesis', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), FUZZ_DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('OpenAPI fuzz (Schemathesis against the real stack)', () => {
  let server: TestServer;
  let entries: HarEntry[] = [];
  let output = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-fuzz-'));

  beforeAll(async () => {
    server = await startTestServer({ SYNC_API_DOCS: 'true', AUTH_FAILURE_LIMIT: '1000000' });
    // Something to find: a file, an analysis, a dry-run plan.
    const auth = { Authorization: `Bearer ${server.token}` };
    await request(server.url).post('/api/files').set(auth).field('user_id', 'fuzz-user').attach('file', Buffer.from('hello fuzz'), { filename: 'a.txt', contentType: 'text/plain' }).expect(201);
    await request(server.url).post('/api/sync/analyze').set(auth).send({}).expect(200);
    const harPath = path.join(dir, 'run.har');
    const run = await runSchemathesis(server, harPath);
    output = run.output;
    const har = JSON.parse(fs.readFileSync(harPath, 'utf8')) as { log: { entries: HarEntry[] } };
    entries = har.log.entries;
    const histogram: Record<number, number> = {};
    for (const e of entries) histogram[e.response.status] = (histogram[e.response.status] ?? 0) + 1;
    process.stdout.write(`\nfuzz: ${entries.length} requests, status histogram ${JSON.stringify(histogram)}, exit ${run.code}\n`);
  }, FUZZ_DEADLINE_MS + 60_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const describeEntry = (e: HarEntry) => `${e.request.method} ${e.request.url} → ${e.response.status} ${(e.response.content?.text ?? '').slice(0, 300)}`;

  it('sends a few thousand requests', () => {
    expect(entries.length).toBeGreaterThan(1500);
  });

  it('gets an answer to every request (no reset, no timeout)', () => {
    expect(entries.filter((e) => e.response.status === 0).map(describeEntry)).toEqual([]);
  });

  it('gets no 5xx answer', () => {
    const failures = entries.filter((e) => e.response.status >= 500).map(describeEntry);
    expect(failures).toEqual([]);
    expect(output).not.toMatch(/Server error/);
  });

  it('names what is wrong in every 4xx body, with a stable code', () => {
    const bad = entries
      .filter((e) => e.response.status >= 400 && e.response.status < 500)
      .filter((e) => {
        try {
          const body = JSON.parse(e.response.content?.text ?? '') as { code?: unknown; message?: unknown };
          return typeof body.code !== 'string' || !/^[a-z_]+$/.test(body.code) || typeof body.message !== 'string' || body.message.length < 5;
        } catch {
          return true;
        }
      })
      .map(describeEntry);
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it('never shows driver text or a stack trace', () => {
    const leaks = entries.filter((e) => LEAKS.some((re) => re.test(e.response.content?.text ?? ''))).map(describeEntry);
    expect(leaks.slice(0, 20)).toEqual([]);
  });
});
