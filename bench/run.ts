import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { BenchOptions, parseArgs, wants } from './cli';
import { BENCH_DIMENSION, BENCH_MODEL, DEEP_TYPES, SHALLOW_TYPES } from './dataset';
import type { MeasureRequest, MeasureResponse } from './measure.child';
import { Progress } from './progress';
import { conditions, resultTable, ResultRow, typeTable, writeReport } from './report';
import { MB } from './rss';
import { scoreIssues } from './score';
import { DatasetTarget, seedDataset } from './seed';
import { startBenchStack, BenchStack } from './stack';
import { BenchContext, loadSuites, SeededDataset, SuiteReport } from './suites';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Its own database, bucket and collection for one size, so sizes never mix. */
function datasetTarget(stack: BenchStack, size: number): DatasetTarget {
  const name = `bench_${size}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const mongo = new URL(stack.env.MONGODB_URI);
  mongo.pathname = `/${name}`;
  return {
    mongoUri: mongo.toString(),
    s3: {
      endpoint: stack.env.S3_ENDPOINT,
      region: stack.env.S3_REGION,
      accessKeyId: stack.env.S3_ACCESS_KEY_ID,
      secretAccessKey: stack.env.S3_SECRET_ACCESS_KEY,
      bucket: name.replace(/_/g, '-'),
    },
    qdrant: { url: stack.env.QDRANT_URL, apiKey: stack.env.QDRANT_API_KEY, collection: name },
  };
}

/** The service configuration for a data set: defaults except where the bench must differ. */
function serviceEnv(target: DatasetTarget, options: BenchOptions, size: number): Record<string, string> {
  const env: Record<string, string> = {
    MONGODB_URI: target.mongoUri,
    S3_ENDPOINT: target.s3.endpoint,
    S3_REGION: target.s3.region,
    S3_ACCESS_KEY_ID: target.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: target.s3.secretAccessKey,
    S3_BUCKET: target.s3.bucket,
    QDRANT_URL: target.qdrant.url,
    QDRANT_COLLECTION: target.qdrant.collection,
    EMBEDDING_DIMENSION: String(BENCH_DIMENSION),
    EMBEDDING_MODEL: BENCH_MODEL,
    // Objects cannot be back-dated in S3: orphans are seconds old, so no grace window.
    SYNC_GRACE_SECONDS: '0',
    // A 1M scan may exceed the 300 s default; the bench measures, it does not cut short.
    SYNC_TIMEOUT: '86400',
    SYNC_API_TOKEN: randomBytes(16).toString('hex'),
    LOG_LEVEL: 'warn',
  };
  // FerretDB v1 sorts the whole collection before its first batch: ~2 min at 1M, past the
  // default 60 s socket timeout (6 × STORE_TIMEOUT_MS). A MongoDB with the file_key index answers at once.
  if (size > 200_000) env.STORE_TIMEOUT_MS = String(Math.ceil(size / 1000) * 100);
  if (target.qdrant.apiKey) env.QDRANT_API_KEY = target.qdrant.apiKey;
  if (options.batchSize !== undefined) env.SYNC_BATCH_SIZE = String(options.batchSize);
  return env;
}

/** "vectors 3.4 s, first record 9.0 s, …": the run's phases as seconds from its start. */
function phaseText(phases: MeasureResponse['analyses'][number]['phases']): string {
  const labels = { vectors_ms: 'vectors', first_record_ms: 'first record', join_ms: 'join', saved_ms: 'saved' } as const;
  return Object.entries(labels)
    .filter(([key]) => phases?.[key as keyof typeof labels] !== undefined)
    .map(([key, label]) => `${label} ${(phases![key as keyof typeof labels]! / 1000).toFixed(1)} s`)
    .join(', ');
}

/** The flags `npm start` runs the service with (package.json config.nodeFlags): it is measured as shipped. */
function serviceNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { config?: { nodeFlags?: string } };
  return (pkg.config?.nodeFlags ?? '').split(/\s+/).filter(Boolean);
}

/** Runs a measurement in a fresh node process (bench/measure.child.ts). */
function measureInChild(request: MeasureRequest, timeoutSeconds: number, cpuProfileDir?: string): Promise<MeasureResponse> {
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfileDir)}`] : [];
  const child = fork(path.join(__dirname, 'measure.child.js'), [], { execArgv: ['--expose-gc', ...serviceNodeFlags(), ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let answered = false;
    // A store that stops answering must end in a report, not a hang.
    const timer = setTimeout(() => {
      reject(new Error(`no answer within ${timeoutSeconds} s (stores hung?)`));
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.once('message', (message) => {
      answered = true;
      clearTimeout(timer);
      resolve(message as MeasureResponse);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!answered) reject(new Error(`measurement process exited with ${code} before answering`));
    });
    child.send(request);
  });
}

/** Generous: 10 min plus 1 s per 500 files. */
const childTimeout = (size: number) => 600 + Math.ceil(size / 500);

async function measureSize(context: BenchContext, size: number): Promise<ResultRow[]> {
  const { options, stack } = context;
  const batchSize = options.batchSize ?? 100;
  const date = new Date().toISOString();
  const target = datasetTarget(stack, size);
  log(`\n== N=${size.toLocaleString('en-US')} (${target.qdrant.collection})`);
  const seed = await seedDataset(target, { size, chunks: options.chunks, s3Concurrency: options.s3Concurrency }, new Progress(`seeding ${size.toLocaleString('en-US')}`, size));
  log(`seeded in ${seed.seconds.toFixed(1)} s: ${seed.records} records, ${seed.objects} objects, ${seed.points} points; busy s: ${Object.entries(seed.storeSeconds).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")}`);
  const env = serviceEnv(target, options, size);
  context.datasets.push({ size, target, seed, serviceEnv: env });
  const row: ResultRow = { size, mode: 'full', date, batchSize, chunks: options.chunks, seed };
  const rows = [row];
  try {
    if (wants(options, 'floor')) {
      const floor = await measureInChild({ env, floor: true, analyses: [] }, childTimeout(size), options.cpuProfileDir);
      if (floor.error) throw new Error(floor.error);
      row.floor = floor.floor;
      log(`floor ${row.floor!.floorSeconds.toFixed(2)} s (mongodb ${row.floor!.mongodb.seconds.toFixed(2)}, first record ${row.floor!.mongodb.firstSeconds?.toFixed(2)}, s3 ${row.floor!.s3.seconds.toFixed(2)}, qdrant ${row.floor!.qdrant.seconds.toFixed(2)})`);
    }
    const runs: { mode: 'full' | 'deep'; deep: boolean }[] = [];
    if (wants(options, 'analysis')) runs.push({ mode: 'full', deep: false });
    if (wants(options, 'deep') && size <= options.deepSize) runs.push({ mode: 'deep', deep: true });
    for (const run of runs) {
      const target = run.mode === 'full' ? row : { size, mode: run.mode, date, batchSize, chunks: options.chunks };
      if (target !== row) rows.push(target);
      // One process per analysis: each peak RSS is that run's alone.
      if ((run as { xp?: object }).xp) { const { MongoClient } = await import('mongodb'); const c = await MongoClient.connect(env.MONGODB_URI); for (const n of ['sync_issues', 'sync_runs', 'sync_user_status']) await c.db().collection(n).drop().catch(() => undefined); await c.close(); }
      const response = await measureInChild({ env, floor: false, analyses: [{ label: run.mode, deep: run.deep }] }, childTimeout(size), options.cpuProfileDir);
      if (response.error) throw new Error(response.error);
      const a = response.analyses[0];
      target.analysis = {
        seconds: a.seconds,
        state: a.state,
        reason: a.reason,
        baselineRssMb: a.baselineRss / MB,
        peakRssMb: a.peakRss / MB,
        peakHeapMb: a.peakHeapUsed / MB,
        issuesFound: a.issues.length,
        phases: a.phases,
      };
      const score = scoreIssues(size, options.chunks, run.deep ? DEEP_TYPES : SHALLOW_TYPES, a.issues);
      const { missedExamples, unexpectedExamples, ...kept } = score;
      target.score = kept;
      log(
        `${run.mode} analysis ${a.seconds.toFixed(2)} s (${a.state}${a.reason ? `: ${a.reason}` : ''}), peak RSS ${(a.peakRss / MB).toFixed(0)} MB, phases ${phaseText(a.phases)}, ` +
          `precision ${score.precision.toFixed(4)}, recall ${score.recall.toFixed(4)}` +
          (missedExamples.length ? `, missed e.g. ${missedExamples.join(', ')}` : '') +
          (unexpectedExamples.length ? `, unexpected e.g. ${unexpectedExamples.join(', ')}` : ''),
      );
    }
  } catch (error) {
    rows[rows.length - 1].error = (error as Error).message;
    log(`N=${size}: ${(error as Error).stack}`);
  }
  return rows;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const suites = loadSuites();
  const external = Boolean(process.env.MONGODB_URI && process.env.S3_ENDPOINT && process.env.QDRANT_URL);
  const startedAt = performance.now();
  log(`starting the stack${external ? ' (using MONGODB_URI, S3_ENDPOINT, QDRANT_URL)' : ''}…`);
  const stack = await startBenchStack();
  log(`stack up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s: ${stack.started.join(', ') || 'external'}`);
  const context: BenchContext = { options, stack, datasets: [] };
  const rows: ResultRow[] = [];
  const suiteReports: SuiteReport[] = [];
  try {
    const storeParts = ['floor', 'analysis', 'deep'].some((part) => wants(options, part));
    if (storeParts) for (const size of options.sizes) rows.push(...(await measureSize(context, size)));
    for (const suite of suites) {
      if (options.only ? !options.only.has(suite.name) : !suite.byDefault) continue;
      log(`\n== suite ${suite.name}`);
      suiteReports.push(await suite.run(context));
    }
  } finally {
    await stack.stop();
  }
  const out = [...resultTable(rows), '', ...typeTable(rows), ''];
  for (const s of suiteReports) out.push(`${s.title}`, ...s.markdown, '');
  process.stdout.write(`\n${out.join('\n')}\n`);
  if (options.writeReport && (rows.length > 0 || suiteReports.length > 0)) {
    const file = writeReport(rows, conditions(options.batchSize ?? 100, external), suiteReports);
    log(`updated ${path.relative(process.cwd(), file)}`);
  }
  log(`total ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

main().catch((error) => {
  log((error as Error).stack ?? String(error));
  process.exit(1);
});
