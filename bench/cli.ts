/** Command-line flags of `npm run bench`. */
export interface BenchOptions {
  sizes: number[];
  /** Which parts to run: floor, analysis, deep, or a named suite (repair, events). */
  only: Set<string> | null;
  /** Largest size with a deep (checksum) run and a second run (again); 0 to skip. They reuse that size's data set. */
  deepSize: number;
  /** Points per healthy file. */
  chunks: number;
  /** SYNC_BATCH_SIZE given to the service (page size of the metadata stream). */
  batchSize?: number;
  s3Concurrency: number;
  writeReport: boolean;
  /** Floor/analysis pairs per size; the median ratio is reported (default: 3, 1 at 1M). */
  repeat?: number;
  /** Keep data sets on an external stack and reuse them instead of seeding again. */
  reuse: boolean;
  /** Write a V8 CPU profile of each measurement process into this directory. */
  cpuProfileDir?: string;
}

// The sizes: ~5 min on 2 cores, most of it seeding 100k objects into MinIO.
export const DEFAULT_SIZES = [10_000, 100_000];
export const MILLION = 1_000_000;

const USAGE = `npm run bench -- [flags]
  --sizes=10000,100000   data set sizes (default ${DEFAULT_SIZES.join(',')}); 10k, 1m suffixes work
  --million              add 1,000,000
  --only=analysis,floor  run only these parts (floor, analysis, again, deep, or a suite: repair, events, adoption, upload, scrub)
  --deep-size=10000      size of the deep (checksum) run, 0 to skip (default: 10000 when seeded)
  --chunks=1             points per healthy file
  --batch=N              SYNC_BATCH_SIZE for the service (default: the service default, 100)
  --s3-concurrency=48    parallel PutObject while seeding
  --repeat=3             floor/analysis pairs per size, the median ratio reported (default 3, 1 at 1M)
  --reuse                keep each data set (named by size and chunks) on an external stack
                         (npm run stack) and reuse it on the next run instead of seeding
  --cpu-prof[=dir]       V8 CPU profile of each floor/analysis process (default dir bench-profiles/)
  --no-report            do not update BENCHMARKS.md`;

function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim().replace(/_/g, ''));
  if (!match) throw new Error(`not a count: ${text}\n${USAGE}`);
  const scale = { '': 1, k: 1_000, m: 1_000_000 }[match[2].toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(match[1]) * scale);
}

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    sizes: [...DEFAULT_SIZES],
    only: null,
    deepSize: 10_000,
    chunks: 1,
    s3Concurrency: 48,
    writeReport: true,
    reuse: false,
  };
  let million = false;
  for (const arg of argv) {
    const [flag, value = ''] = arg.split(/=(.*)/s, 2);
    switch (flag) {
      case '--sizes':
        options.sizes = value.split(',').filter(Boolean).map(parseCount);
        break;
      case '--million':
        million = true;
        break;
      case '--only':
        options.only = new Set(value.split(',').filter(Boolean));
        break;
      case '--deep-size':
        options.deepSize = parseCount(value);
        break;
      case '--chunks':
        options.chunks = Math.max(1, parseCount(value));
        break;
      case '--batch':
        options.batchSize = parseCount(value);
        break;
      case '--s3-concurrency':
        options.s3Concurrency = Math.max(1, parseCount(value));
        break;
      case '--cpu-prof':
        options.cpuProfileDir = value || 'bench-profiles';
        break;
      case '--repeat':
        options.repeat = Math.max(1, parseCount(value));
        break;
      case '--reuse':
        options.reuse = true;
        break;
      case '--no-report':
        options.writeReport = false;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown flag ${arg}\n${USAGE}`);
    }
  }
  if (million && !options.sizes.includes(MILLION)) options.sizes.push(MILLION);
  options.sizes.sort((a, b) => a - b);
  return options;
}

/** True when the part should run (no --only means every default part). */
export function wants(options: BenchOptions, part: string): boolean {
  return options.only === null ? ['floor', 'analysis', 'again', 'deep'].includes(part) : options.only.has(part);
}
