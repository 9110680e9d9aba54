import type { BenchOptions } from './cli';
import type { DatasetTarget, SeedResult } from './seed';
import type { BenchStack } from './stack';

/** A data set seeded by this run, with the service configuration that points at it. */
export interface SeededDataset {
  size: number;
  target: DatasetTarget;
  seed: SeedResult;
  /** The service's env for this data set (pass to startBenchApp). */
  serviceEnv: Record<string, string>;
}

export interface BenchContext {
  options: BenchOptions;
  stack: BenchStack;
  /** Data sets seeded so far (by size); a suite may also seed its own. */
  datasets: SeededDataset[];
}

/** What a suite adds to stdout and to BENCHMARKS.md: a titled Markdown section. */
export interface SuiteReport {
  title: string;
  markdown: string[];
}

/**
 * Hook for the benches that follow (repair throughput, event latency): a module
 * `bench/<name>.bench.ts` exporting `suite: BenchSuite` is picked up by run.ts and runs
 * with `--only=<name>` (or by default once it sets `byDefault`).
 */
export interface BenchSuite {
  name: string;
  byDefault?: boolean;
  run(context: BenchContext): Promise<SuiteReport>;
}

const OPTIONAL_SUITES = ['./repair.bench', './repair-plan.bench', './events.bench', './adoption.bench', './upload.bench', './scrub.bench'];

/** The suites present in this checkout (their files are optional). */
export function loadSuites(): BenchSuite[] {
  const suites: BenchSuite[] = [];
  for (const id of OPTIONAL_SUITES) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(id) as { suite?: BenchSuite };
      if (loaded.suite) suites.push(loaded.suite);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'MODULE_NOT_FOUND' || !String((error as Error).message).includes(id.slice(2))) throw error;
    }
  }
  return suites;
}
