/** A second full run for a scope that is already being analysed. */
export class AnalysisAlreadyRunningError extends Error {
  constructor(readonly runId: string) {
    super(`an analysis of this scope is already running: ${runId}`);
    this.name = 'AnalysisAlreadyRunningError';
  }
}

export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} not found`);
    this.name = 'RunNotFoundError';
  }
}
