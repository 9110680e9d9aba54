import type { INestApplication } from '@nestjs/common';
import { AnalysisService, IssueLifecycleService, RunDocument } from '@storesync/analysis';
import { collectGarbage, cpuSecondsSince, RssSampler } from './rss';

export interface FoundIssue {
  type: string;
  /** file id, or the key for an object without metadata. */
  key: string;
}

export interface AnalysisResult {
  seconds: number;
  /** CPU the service's process used for the run (both cores count): its own work, whatever the stores did. */
  cpuSeconds: number;
  state: RunDocument['state'];
  reason: string | null;
  stores: RunDocument['stores'];
  summary: RunDocument['summary'];
  baselineRss: number;
  peakRss: number;
  peakHeapUsed: number;
  rssSamples: number;
  issues: FoundIssue[];
  /** The run's own account of where its time went (ms from its start). */
  phases: RunDocument['phases'];
  /** Time to page the run's issues back out of sync_issues (not part of `seconds`). */
  issueReadSeconds: number;
}

/** One full analysis through AnalysisService, with RSS sampled every 50 ms while it runs. */
export async function measureAnalysis(app: INestApplication, deep: boolean): Promise<AnalysisResult> {
  collectGarbage();
  const baselineRss = process.memoryUsage().rss;
  const sampler = new RssSampler(50).start();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { done } = app.get(AnalysisService).start({ deep, trigger: 'bench' });
  const run = await done;
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  sampler.stop();
  const readStarted = performance.now();
  const issues = await runIssues(app.get(IssueLifecycleService), run);
  return {
    seconds,
    cpuSeconds,
    state: run.state,
    reason: run.reason,
    stores: run.stores,
    summary: run.summary,
    baselineRss,
    peakRss: sampler.peakRss,
    peakHeapUsed: sampler.peakHeapUsed,
    rssSamples: sampler.samples,
    issues,
    phases: run.phases,
    issueReadSeconds: (performance.now() - readStarted) / 1000,
  };
}

/** Every issue the run found (its latest sighting is this run), through one cursor. */
async function runIssues(lifecycle: IssueLifecycleService, run: RunDocument): Promise<FoundIssue[]> {
  const found: FoundIssue[] = [];
  for await (const issue of lifecycle.foundBy(run)) found.push({ type: issue.type, key: issue.file_id ?? issue.file_key ?? '' });
  return found;
}
