import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { INestApplication } from '@nestjs/common';
import { AnalysisService } from '@storesync/analysis';
import { pointId, VectorPoint } from '@storesync/core';
import { RepairService } from '@storesync/repair';
import { VectorStore } from '@storesync/storage';
import { startBenchApp } from './app';
import { liveHeap, MB, RssSampler } from './rss';
import type { BenchSuite, SuiteReport } from './suites';
import { log } from './suite-env';

// The issue asks for a 100,000-line plan. BENCH_PLAN_LINES is one size N (measured at N / 10 and N) or a list
// (BENCH_PLAN_LINES=10000,100000), measured in that order in one run; the default keeps the suite to minutes.
const SIZES = planSizes(process.env.BENCH_PLAN_LINES ?? '20000');
const DIMENSION = 8;
/** How often a phase forces a collection to read its live heap (besides once at its end). */
const LIVE_EVERY_MS = 2000;

function planSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isSafeInteger(n) || n < 10)) {
    throw new Error(`BENCH_PLAN_LINES must be a number of lines (≥ 10) or a comma list of them, got "${text}"`);
  }
  return sizes.length === 1 ? [Math.round(sizes[0] / 10), sizes[0]] : sizes;
}

/** One phase's memory: peak heap used (garbage included), the largest live heap seen, and the live heap at its end. */
interface PhaseMemory {
  peakHeapMb: number;
  peakLiveMb: number;
  liveAfterMb: number;
  peakRssMb: number;
  /** The longest the event loop was held in the phase (what an HTTP request or a socket frame waited at worst). */
  maxStallMs: number;
}

interface PlanRun {
  lines: number;
  planSeconds: number;
  executeSeconds: number;
  done: number;
  failed: number;
  /** Live heap once the stores are seeded and analysed, before the plan. */
  baselineLiveMb: number;
  plan: PhaseMemory;
  execute: PhaseMemory;
}

/** Runs `work` with memory sampled every 50 ms and a forced collection every LIVE_EVERY_MS and at its end. */
async function phase<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; memory: PhaseMemory }> {
  const sampler = new RssSampler(50, LIVE_EVERY_MS).start();
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  stalls.disable();
  sampler.stop();
  const after = sampler.sampleLive() ?? 0;
  return {
    result,
    seconds,
    memory: {
      peakHeapMb: sampler.peakHeapUsed / MB,
      peakLiveMb: sampler.peakLiveHeap / MB,
      liveAfterMb: after / MB,
      peakRssMb: sampler.peakRss / MB,
      // A loop held for the whole phase never records a delay: the phase's length is then the stall.
      maxStallMs: stalls.count > 0 ? stalls.max / 1e6 : seconds * 1000,
    },
  };
}

/** `lines` orphan-point files on the embedded stores, analysed, then one plan of all of them built and executed. */
async function measure(lines: number): Promise<PlanRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-plan-bench-'));
  const app: INestApplication = await startBenchApp({
    MONGODB_URI: '',
    S3_ENDPOINT: '',
    QDRANT_URL: '',
    REDIS_URL: '',
    DATA_DIR: dataDir,
    EMBEDDING_DIMENSION: String(DIMENSION),
    SYNC_GRACE_SECONDS: '0',
    SYNC_TIMEOUT: '86400',
    SYNC_API_TOKEN: 'bench-plan-token-0123456789',
    LOG_LEVEL: 'warn',
    SYNC_MAX_DELETE_MIN: String(10 * lines),
  });
  try {
    const vectors = app.get(VectorStore);
    for (let i = 0; i < lines; i += 1000) {
      const points: VectorPoint[] = Array.from({ length: Math.min(1000, lines - i) }, (_, j) => {
        const fileId = `orphan-${i + j}`;
        return {
          id: pointId(fileId, 0),
          fileId,
          userId: `u${(i + j) % 50}`,
          chunkIndex: 0,
          chunkCount: 1,
          contentHash: 'f'.repeat(64),
          model: 'hash-v1',
          text: 'left behind',
          vector: Array.from({ length: DIMENSION }, (_, d) => (d === 0 ? 1 : 0)),
        };
      });
      await vectors.upsert(points);
    }
    await app.get(AnalysisService).start({ trigger: 'bench' }).done;
    const baselineLive = liveHeap() ?? 0;
    const repair = app.get(RepairService);
    const planned = await phase(() => repair.plan({ types: ['orphan_vectors'] }, 'api'));
    const plan = planned.result;
    const executed = await phase(() => repair.execute(plan.id, { actor: 'api', allowDestructive: true }));
    return {
      lines: plan.lines,
      planSeconds: planned.seconds,
      executeSeconds: executed.seconds,
      done: executed.result.progress.summary.done,
      failed: executed.result.progress.summary.failed,
      baselineLiveMb: baselineLive / MB,
      plan: planned.memory,
      execute: executed.memory,
    };
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function mb(value: number): string {
  return value.toFixed(0);
}

/** The live heap a phase added over the baseline, at its largest and at its end. */
function growth(run: PlanRun, memory: PhaseMemory): { peak: number; after: number } {
  return { peak: Math.max(memory.peakLiveMb, memory.liveAfterMb) - run.baselineLiveMb, after: memory.liveAfterMb - run.baselineLiveMb };
}

function ratioText(large: PlanRun, small: PlanRun, label: 'plan' | 'execute'): string {
  const big = Math.max(large[label].peakLiveMb, large[label].liveAfterMb);
  const little = Math.max(small[label].peakLiveMb, small[label].liveAfterMb);
  const added = growth(large, large[label]).peak;
  const addedSmall = growth(small, small[label]).peak;
  return `${label}: largest live heap ${mb(big)} MB at ${large.lines} lines vs ${mb(little)} MB at ${small.lines} (${(big / little).toFixed(2)} ×); added over the baseline ${added.toFixed(1)} vs ${addedSmall.toFixed(1)} MB`;
}

export const suite: BenchSuite = {
  name: 'repair-plan',
  async run(): Promise<SuiteReport> {
    const runs: PlanRun[] = [];
    for (const lines of SIZES) {
      log(`repair-plan: ${lines} orphan-point lines on the embedded stores`);
      const run = await measure(lines);
      log(
        `repair-plan: ${run.lines} lines planned in ${run.planSeconds.toFixed(1)} s, executed in ${run.executeSeconds.toFixed(1)} s (${run.done} done, ${run.failed} failed); ` +
          `live heap ${mb(run.baselineLiveMb)} MB before, plan peak used ${mb(run.plan.peakHeapMb)} / live peak ${mb(run.plan.peakLiveMb)} / live after ${mb(run.plan.liveAfterMb)} MB, ` +
          `execute peak used ${mb(run.execute.peakHeapMb)} / live peak ${mb(run.execute.peakLiveMb)} / live after ${mb(run.execute.liveAfterMb)} MB, ` +
          `peak RSS ${mb(Math.max(run.plan.peakRssMb, run.execute.peakRssMb))} MB, longest event-loop stall ${run.plan.maxStallMs.toFixed(0)} / ${run.execute.maxStallMs.toFixed(0)} ms`,
      );
      runs.push(run);
    }
    const ordered = [...runs].sort((a, b) => a.lines - b.lines);
    const ratios = ordered.length > 1 ? (['plan', 'execute'] as const).map((label) => ratioText(ordered[ordered.length - 1], ordered[0], label)) : [];
    ratios.forEach((line) => log(`repair-plan: ${line}`));
    return {
      title: 'Repair plans of any size (memory)',
      markdown: [
        `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the embedded stores (one process). One plan of every orphan-point issue,`,
        'built and stored in pages, executed in pages (journal, batched delete, verification, bulk audit and resolution). Per phase: peak heap',
        `used (sampled every 50 ms, garbage included), live heap (heap used right after a forced full collection, every ${LIVE_EVERY_MS / 1000} s and at`,
        'the end of the phase) at its largest and at the end. Flat memory: the live heap does not grow with the plan. Longest loop stall:',
        'the largest event-loop delay in the phase (what an HTTP request waited at worst; includes the forced collections).',
        '',
        '| lines | plan s | execute s | done | failed | live before MB | plan: peak used / live peak / live after MB | execute: peak used / live peak / live after MB | peak RSS MB | longest loop stall plan / execute ms |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...runs.map(
          (r) =>
            `| ${r.lines} | ${r.planSeconds.toFixed(1)} | ${r.executeSeconds.toFixed(1)} | ${r.done} | ${r.failed} | ${mb(r.baselineLiveMb)} | ` +
            `${mb(r.plan.peakHeapMb)} / ${mb(r.plan.peakLiveMb)} / ${mb(r.plan.liveAfterMb)} | ${mb(r.execute.peakHeapMb)} / ${mb(r.execute.peakLiveMb)} / ${mb(r.execute.liveAfterMb)} | ` +
            `${mb(Math.max(r.plan.peakRssMb, r.execute.peakRssMb))} | ${r.plan.maxStallMs.toFixed(0)} / ${r.execute.maxStallMs.toFixed(0)} |`,
        ),
        ...(ratios.length ? ['', ...ratios.map((line) => `- ${line}`)] : []),
      ],
    };
  },
};
