import { DomainError } from '@storesync/core';

/** A second full run for a scope that is already being analysed. */
export class AnalysisAlreadyRunningError extends DomainError {
  constructor(readonly runId: string) {
    super('analysis_running', `an analysis of this scope is already running: ${runId}`, { run_id: runId });
  }
}

export class RunNotFoundError extends DomainError {
  constructor(readonly runId: string) {
    super('not_found', `run ${runId} not found`);
  }
}
