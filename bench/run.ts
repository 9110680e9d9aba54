import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { BenchOptions, MILLION, parseArgs, wants } from './cli';
import { BENCH_DIMENSION, BENCH_MODEL, DEEP_TYPES, SHALLOW_TYPES } from './dataset';
import type { MeasureRequest, MeasureResponse } from './measure.child';
import { Progress } from './progress';
import type { FloorResult } from './floor';
import { conditions, resultTable, ResultRow, typeTable, writeReport } from './report';
import { MB } from './rss';
import { Score, scoreIssues } from './score';
import { clearServiceState, keptSeed, markSeeded } from './reuse';
import { DatasetTarget, SeedResult, seedDataset } from './seed';
import { startBenchStack, BenchStack } from './stack';
import { describeExternalStores } from './store-servers';
import { BenchContext, loadSuites, SuiteReport } from './suites';

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Its own database, bucket and collection for one size, so sizes never mix. A reused data
 * set (--reuse) is named by its size and chunks so the next run finds it.
 */
function datasetTarget(stack: BenchStack, size: number, options: BenchOptions): DatasetTarget {
  const name = options.reuse ? `bench_${size}_c${options.chunks}` : `bench_${size}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
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
  const child = fork(path.join(__dirname, 'measure.child.js'), [], {
    execArgv: ['--expose-gc', ...serviceNodeFlags(), ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
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

/** Seeds the data set, or with --reuse finds it seeded by an earlier run. */
async function seedOrReuse(target: DatasetTarget, size: number, options: BenchOptions): Promise<SeedResult> {
  if (options.reuse) {
    const kept = await keptSeed(target.mongoUri);
    if (kept) {
      log(`reusing the data set seeded earlier (${target.qdrant.collection})`);
      return kept;
    }
  }
  const seed = await seedDataset(
    target,
    { size, chunks: options.chunks, s3Concurrency: options.s3Concurrency },
    new Progress(`seeding ${size.toLocaleString('en-US')}`, size),
  );
  if (options.reuse) await markSeeded(target.mongoUri, seed);
  return seed;
}

type Analysis = MeasureResponse['analyses'][number];

/**
 * One analysis in its own process (each peak RSS is that run's alone), from no runs and no
 * issues unless `again`: then the issues of the run before are there to be found again.
 */
async function analyseInChild(context: BenchContext, env: Record<string, string>, size: number, deep: boolean, again = false): Promise<Analysis> {
  // A data set measured before (--reuse, or --repeat) would otherwise meet its own issues again.
  if (!again) await clearServiceState(env.MONGODB_URI);
  const response = await measureInChild(
    { env, floor: false, analyses: [{ label: deep ? 'deep' : 'full', deep }] },
    childTimeout(size),
    context.options.cpuProfileDir,
  );
  if (response.error) throw new Error(response.error);
  return response.analyses[0];
}

function analysisRow(a: Analysis): NonNullable<ResultRow['analysis']> {
  return {
    seconds: a.seconds,
    cpuSeconds: a.cpuSeconds,
    state: a.state,
    reason: a.reason,
    baselineRssMb: a.baselineRss / MB,
    peakRssMb: a.peakRss / MB,
    peakHeapMb: a.peakHeapUsed / MB,
    issuesFound: a.issues.length,
    phases: a.phases,
  };
}

function logAnalysis(label: string, a: Analysis, score: Score): void {
  log(
    `${label} analysis ${a.seconds.toFixed(2)} s (${a.state}${a.reason ? `: ${a.reason}` : ''}), CPU ${a.cpuSeconds.toFixed(1)} s, peak RSS ${(a.peakRss / MB).toFixed(0)} MB, phases ${phaseText(a.phases)}, ` +
      `precision ${score.precision.toFixed(4)}, recall ${score.recall.toFixed(4)}` +
      (score.missedExamples.length ? `, missed e.g. ${score.missedExamples.join(', ')}` : '') +
      (score.unexpectedExamples.length ? `, unexpected e.g. ${score.unexpectedExamples.join(', ')}` : ''),
  );
}

const keptScore = ({ missedExamples: _m, unexpectedExamples: _u, ...kept }: Score): NonNullable<ResultRow['score']> => kept;

/**
 * A row measured once, after the full rounds: 'again' analyses with the last round's
 * issues still open, 'deep' from no issues with deep: true. The row is added before it is
 * measured, so a failure is recorded on it.
 */
async function singleRun(
  context: BenchContext,
  rows: ResultRow[],
  env: Record<string, string>,
  size: number,
  date: string,
  mode: 'again' | 'deep',
): Promise<void> {
  const { options } = context;
  const row: ResultRow = { size, mode, date, batchSize: options.batchSize ?? 100, chunks: options.chunks };
  rows.push(row);
  const a = await analyseInChild(context, env, size, mode === 'deep', mode === 'again');
  const score = scoreIssues(size, options.chunks, mode === 'deep' ? DEEP_TYPES : SHALLOW_TYPES, a.issues);
  row.analysis = analysisRow(a);
  row.score = keptScore(score);
  logAnalysis(mode, a, score);
}

async function measureSize(context: BenchContext, size: number): Promise<ResultRow[]> {
  const { options, stack } = context;
  const batchSize = options.batchSize ?? 100;
  const date = new Date().toISOString();
  const target = datasetTarget(stack, size, options);
  log(`\n== N=${size.toLocaleString('en-US')} (${target.qdrant.collection})`);
  const seed = await seedOrReuse(target, size, options);
  log(
    `seeded in ${seed.seconds.toFixed(1)} s: ${seed.records} records, ${seed.objects} objects, ${seed.points} points; busy s: ${Object.entries(
      seed.storeSeconds,
    )
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ')}`,
  );
  const env = serviceEnv(target, options, size);
  context.datasets.push({ size, target, seed, serviceEnv: env });
  const row: ResultRow = { size, mode: 'full', date, batchSize, chunks: options.chunks, seed };
  const rows = [row];
  try {
    // Floor and analysis alternate, so both see the machine in the same state; on shared
    // cores single runs move by ±20%, the median of the paired ratios much less.
    const pairs: { floor?: FloorResult; analysis?: Analysis; score?: Score }[] = [];
    const repeats = options.repeat ?? (size >= MILLION ? 1 : 3);
    for (let round = 1; round <= repeats; round++) {
      const pair: (typeof pairs)[number] = {};
      if (wants(options, 'floor')) {
        const response = await measureInChild({ env, floor: true, analyses: [] }, childTimeout(size), options.cpuProfileDir);
        if (response.error) throw new Error(response.error);
        const floor = (pair.floor = response.floor!);
        log(
          `floor ${floor.floorSeconds.toFixed(2)} s (mongodb ${floor.mongodb.seconds.toFixed(2)}, first record ${floor.mongodb.firstSeconds?.toFixed(2)}, s3 ${floor.s3.seconds.toFixed(2)}, qdrant ${floor.qdrant.seconds.toFixed(2)}), CPU ${floor.cpuSeconds?.toFixed(1)} s`,
        );
      }
      if (wants(options, 'analysis')) {
        const a = (pair.analysis = await analyseInChild(context, env, size, false));
        pair.score = scoreIssues(size, options.chunks, SHALLOW_TYPES, a.issues);
        logAnalysis(`full (${round}/${repeats})`, a, pair.score);
      }
      pairs.push(pair);
    }
    const ratios = pairs.flatMap((p) => (p.floor && p.analysis ? [p.analysis.seconds / p.floor.floorSeconds] : []));
    const middle = medianPair(pairs);
    if (middle?.floor) row.floor = middle.floor;
    if (middle?.analysis) row.analysis = analysisRow(middle.analysis);
    // The worst score of the rounds: a miss in any run is a miss.
    const worst = pairs.flatMap((p) => (p.score ? [p.score] : [])).sort((a, b) => a.precision + a.recall - (b.precision + b.recall))[0];
    if (worst) row.score = keptScore(worst);
    if (ratios.length > 1) row.ratios = ratios;

    // A scheduled run mostly finds what the run before it found: each of those is touched.
    if (wants(options, 'again') && size <= options.deepSize && pairs.some((p) => p.analysis)) await singleRun(context, rows, env, size, date, 'again');
    if (wants(options, 'deep') && size <= options.deepSize) await singleRun(context, rows, env, size, date, 'deep');
  } catch (error) {
    rows[rows.length - 1].error = (error as Error).message;
    log(`N=${size}: ${(error as Error).stack}`);
  }
  return rows;
}

/** The round whose ratio is the median (or, with only one of the two measured, whose time is). */
function medianPair<T extends { floor?: FloorResult; analysis?: Analysis }>(pairs: T[]): T | undefined {
  const value = (p: T) => (p.floor && p.analysis ? p.analysis.seconds / p.floor.floorSeconds : (p.analysis?.seconds ?? p.floor?.floorSeconds ?? 0));
  const sorted = [...pairs].sort((a, b) => value(a) - value(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const suites = loadSuites();
  const external = Boolean(process.env.MONGODB_URI && process.env.S3_ENDPOINT && process.env.QDRANT_URL);
  // The bench's own stack lives in a temporary folder that goes when it stops.
  if (options.reuse && !external)
    throw new Error('--reuse needs a stack that outlives the bench: set MONGODB_URI, S3_ENDPOINT and QDRANT_URL (npm run stack prints them)');
  const startedAt = performance.now();
  log(`starting the stack${external ? ' (using MONGODB_URI, S3_ENDPOINT, QDRANT_URL)' : ''}…`);
  const stack = await startBenchStack();
  log(`stack up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s: ${stack.started.join(', ') || 'external'}`);
  const context: BenchContext = { options, stack, datasets: [] };
  const rows: ResultRow[] = [];
  const suiteReports: SuiteReport[] = [];
  try {
    const storeParts = ['floor', 'analysis', 'again', 'deep'].some((part) => wants(options, part));
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
    const stores = external ? await describeExternalStores(process.env) : null;
    const file = writeReport(rows, conditions(options.batchSize ?? 100, stores), suiteReports);
    log(`updated ${path.relative(process.cwd(), file)}`);
  }
  log(`total ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

main().catch((error) => {
  log((error as Error).stack ?? String(error));
  process.exit(1);
});
