import { api } from '@/lib/api/client';
import type { FileCheckResponse, Run } from '@storesync/contract';
import type { AnalyzeAccepted, AnalyzeRequest, RunsPage } from './types';

export const RUNS_PAGE_SIZE = 50;

/** Starts an analysis without waiting for it; progress then arrives as `analysis.*` events. */
export function startAnalysis(request: AnalyzeRequest): Promise<AnalyzeAccepted> {
  return api.startAnalysis(request);
}

export function fetchRuns(cursor: string | null, signal?: AbortSignal): Promise<RunsPage> {
  return api.runs({ limit: RUNS_PAGE_SIZE, cursor: cursor ?? undefined }, { signal });
}

export function fetchRun(runId: string, signal?: AbortSignal): Promise<Run> {
  return api.run(runId, { signal });
}

/** Single-file check by point lookups in each store. */
export function checkFile(fileId: string): Promise<FileCheckResponse> {
  return api.checkFile(fileId);
}
