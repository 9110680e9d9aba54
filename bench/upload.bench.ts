import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../apps/server/src/app.module';
import { configureApp } from '../apps/server/src/bootstrap';
import { docxBomb } from '../libs/ingest/src/extraction/document-fixtures';
import type { BenchContext, BenchSuite, SuiteReport } from './suites';
import { isolatedStoreEnv, log } from './suite-env';

/**
 * Event-loop delay of the server (monitorEventLoopDelay, in its process) and /api/health
 * latency while one upload runs: the largest allowed file (MAX_UPLOAD_BYTES, default 50 MB,
 * stored and not embedded), a text at the extraction cap (read, chunked and embedded), and a
 * docx bomb (refused). The upload is sent by curl in its own process. `--only=upload`.
 */
const TOKEN = 'bench-upload-token-0123456789';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function envFor(context: BenchContext, name: string): Record<string, string> {
  return isolatedStoreEnv(context, name, {
    SYNC_API_TOKEN: TOKEN,
  });
}

interface Sample {
  label: string;
  status: number;
  seconds: number;
  loop: { p50: number; p99: number; max: number };
  health: { n: number; p50: number; p99: number; max: number };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

function curl(url: string, file: string, type: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `Authorization: Bearer ${TOKEN}`,
      '-F',
      'user_id=bench',
      '-F',
      `file=@${file};type=${type}`,
      `${url}/api/files`,
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(Number(out.trim())));
  });
}

async function measure(url: string, label: string, file: string, type: string): Promise<Sample> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const latencies: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      await new Promise<void>((resolve) => http.get(`${url}/api/health`, (res) => res.resume().on('end', resolve)).on('error', () => resolve()));
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  loop.enable();
  const started = performance.now();
  const status = await curl(url, file, type);
  const seconds = (performance.now() - started) / 1000;
  loop.disable();
  running = false;
  await probe;
  const ms = (ns: number) => ns / 1e6;
  return {
    label,
    status,
    seconds,
    loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    health: { n: latencies.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: Math.max(...latencies) },
  };
}

export const suite: BenchSuite = {
  name: 'upload',
  async run(context: BenchContext): Promise<SuiteReport> {
    const env = envFor(context, `bench_upload_${Date.now()}`);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-bench-upload-'));
    try {
      const maxBytes = 50 * 1024 * 1024;
      const largest = path.join(dir, 'largest.bin');
      fs.writeFileSync(largest, Buffer.alloc(maxBytes, 7));
      // Just under EXTRACT_MAX_CHARS (5,000,000): ~6,200 chunks read, chunked and embedded.
      const text = path.join(dir, 'at-the-cap.txt');
      fs.writeFileSync(text, Buffer.alloc(4_990_000, 'All work and no play makes Jack a dull boy. '));
      const bomb = path.join(dir, 'bomb.docx');
      fs.writeFileSync(bomb, docxBomb(200 * 1024 * 1024));
      const samples: Sample[] = [];
      for (const [label, file, type] of [
        [`largest allowed file (${maxBytes / 1024 / 1024} MB binary, stored, not embedded)`, largest, 'application/octet-stream'],
        ['text at the extraction cap (4.99 M characters, embedded)', text, 'text/plain'],
        [`docx bomb (${(fs.statSync(bomb).size / 1024).toFixed(0)} KB inflating to 200 MB, refused)`, bomb, DOCX],
      ] as const) {
        log(`upload: ${label}`);
        samples.push(await measure(url, label, file, type));
      }
      const f = (n: number) => n.toFixed(1);
      return {
        title: 'Event loop during an upload (`--only=upload`)',
        markdown: [
          '| upload | status | seconds | loop delay p50 / p99 / max (ms) | /api/health p50 / p99 / max (ms), n |',
          '|---|---|---|---|---|',
          ...samples.map(
            (s) =>
              `| ${s.label} | ${s.status} | ${f(s.seconds)} | ${f(s.loop.p50)} / ${f(s.loop.p99)} / ${f(s.loop.max)} | ${f(s.health.p50)} / ${f(s.health.p99)} / ${f(s.health.max)}, ${s.health.n} |`,
          ),
        ],
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await app.close();
    }
  },
};
