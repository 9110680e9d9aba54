import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/server';

/** Per operation and phase; ~30 operations × (examples + coverage + fuzzing) gives a few thousand requests. */
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 200);
/** Schemathesis's own budget: it stops generating and finishes its report by then, under any load. */
const FUZZ_MAX_TIME_S = Number(process.env.FUZZ_MAX_TIME ?? 90);
/** Past this it is stopped (SIGTERM): a hang is a failure, not a slow pass. The report is a stream, read as far as it got. */
const FUZZ_DEADLINE_MS = (FUZZ_MAX_TIME_S + 60) * 1000;
/** Text that must never reach a client: store drivers, stacks, paths. */
const LEAKS = [
  /MongoServerError/i,
  /MongoError/i,
  /SQLITE/i,
  /FerretDB/i,
  /\bat \//,
  /node_modules/,
  /\.ts:\d+/,
  /\.js:\d+/,
  /ECONNREFUSED/,
  /S3ServiceException/,
  /Error: /,
];

interface Exchange {
  request: { method: string; url: string };
  response: { status: number; content?: { text?: string } };
}

/** Schemathesis's ndjson event stream: every request and answer of each finished scenario; a cut last line is skipped. */
function readExchanges(ndjson: string): Exchange[] {
  type Interaction = { request: { method: string; uri: string }; response: { status_code: number; content?: { $base64?: string } } | null };
  const exchanges: Exchange[] = [];
  for (const line of ndjson.split('\n')) {
    let event: { ScenarioFinished?: { recorder?: { interactions?: Record<string, Interaction> } } };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      continue;
    }
    for (const interaction of Object.values(event.ScenarioFinished?.recorder?.interactions ?? {})) {
      const body = interaction.response?.content?.$base64;
      exchanges.push({
        request: { method: interaction.request.method, url: interaction.request.uri },
        // No response: the request got no answer (reset, timeout).
        response: { status: interaction.response?.status_code ?? 0, content: { text: body ? Buffer.from(body, 'base64').toString('utf8') : '' } },
      });
    }
  }
  return exchanges;
}

function runSchemathesis(server: TestServer, reportPath: string): Promise<{ code: number | null; output: string; stopped: boolean }> {
  const args = [
    'run',
    `${server.url}/api/docs-json`,
    '--url',
    server.url,
    '--checks',
    'not_a_server_error',
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--max-time',
    String(FUZZ_MAX_TIME_S),
    '--seed',
    process.env.FUZZ_SEED ?? '12',
    '--workers',
    '2',
    '--request-timeout',
    '20',
    '--continue-on-failure',
    '--no-shrink',
    '--generation-database',
    'none',
    '--suppress-health-check',
    'all',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    reportPath,
    '--no-color',
    '-H',
    `Authorization: Bearer ${server.token}`,
  ];
  return new Promise((resolve, reject) => {
    // As a module of python3: found wherever pip put it, whether or not its script is on PATH.
    const child = spawn('python3', ['-m', 'schemathesis.cli', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let stopped = false;
    const timer = setTimeout(() => {
      stopped = true;
      child.kill('SIGTERM');
    }, FUZZ_DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, stopped });
    });
  });
}

describe('OpenAPI fuzz (Schemathesis against the real stack)', () => {
  let server: TestServer;
  let entries: Exchange[] = [];
  let output = '';
  let stopped = false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-fuzz-'));

  beforeAll(async () => {
    server = await startTestServer({ SYNC_API_DOCS: 'true', AUTH_FAILURE_LIMIT: '1000000' });
    // Something to find: a file, an analysis, a dry-run plan.
    const auth = { Authorization: `Bearer ${server.token}` };
    await request(server.url)
      .post('/api/files')
      .set(auth)
      .field('user_id', 'fuzz-user')
      .attach('file', Buffer.from('hello fuzz'), { filename: 'a.txt', contentType: 'text/plain' })
      .expect(201);
    await request(server.url).post('/api/sync/analyze').set(auth).send({}).expect(200);
    const reportPath = path.join(dir, 'run.ndjson');
    const run = await runSchemathesis(server, reportPath);
    output = run.output;
    stopped = run.stopped;
    entries = fs.existsSync(reportPath) ? readExchanges(fs.readFileSync(reportPath, 'utf8')) : [];
    const histogram: Record<number, number> = {};
    for (const e of entries) histogram[e.response.status] = (histogram[e.response.status] ?? 0) + 1;
    process.stdout.write(
      `\nfuzz: ${entries.length} requests, status histogram ${JSON.stringify(histogram)}, exit ${run.code}${stopped ? ' (stopped at the deadline)' : ''}\n`,
    );
  }, FUZZ_DEADLINE_MS + 60_000);
  afterAll(async () => {
    await server?.close();
    if (!process.env.FUZZ_KEEP_DIR) fs.rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`fuzz reports kept in ${dir}\n`);
  });

  const describeEntry = (e: Exchange) => `${e.request.method} ${e.request.url} → ${e.response.status} ${(e.response.content?.text ?? '').slice(0, 300)}`;

  it('finishes within its budget and sends a few thousand requests', () => {
    // A run Schemathesis could not finish is a failure of its own, with its output to say why.
    expect({ stopped, tail: stopped ? output.slice(-2000) : '' }).toEqual({ stopped: false, tail: '' });
    expect(entries.length).toBeGreaterThan(1000);
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
