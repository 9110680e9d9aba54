import { FoundIssue, measureAnalysis } from './analysis.bench';
import { startBenchApp } from './app';
import { FloorResult, measureFloor } from './floor';

/** What the parent asks of one child process. */
export interface MeasureRequest {
  env: Record<string, string>;
  floor: boolean;
  analyses: { label: string; deep: boolean }[];
}

export interface MeasureResponse {
  floor?: FloorResult;
  analyses: (Omit<Awaited<ReturnType<typeof measureAnalysis>>, 'issues'> & { label: string; issues: FoundIssue[] })[];
  bootSeconds: number;
  error?: string;
}

/**
 * Runs in its own process per data set so the measured RSS is the service's alone:
 * not the seeding's garbage, not the parent's bookkeeping.
 */
async function main(request: MeasureRequest): Promise<MeasureResponse> {
  const booted = performance.now();
  const app = await startBenchApp(request.env);
  const response: MeasureResponse = { analyses: [], bootSeconds: (performance.now() - booted) / 1000 };
  try {
    if (request.floor) response.floor = await measureFloor(app);
    for (const { label, deep } of request.analyses) response.analyses.push({ label, ...(await measureAnalysis(app, deep)) });
  } finally {
    await app.close();
  }
  return response;
}

process.once('message', (request) => {
  main(request as MeasureRequest).then(
    (response) => process.send!(response, () => process.exit(0)),
    (error: Error) => process.send!({ analyses: [], bootSeconds: 0, error: error.stack ?? String(error) }, () => process.exit(1)),
  );
});
