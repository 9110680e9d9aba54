import { apiRequest } from '@/lib/api/client';
import type { FileStatus, Run } from '@storesync/contract';
import type { AnalyzeAccepted, AnalyzeRequest, RunsPage } from './types';

export const RUNS_PAGE_SIZE = 50;

/** Starts an analysis without waiting for it; progress then arrives as `analysis.*` events. */
export function startAnalysis(request: AnalyzeRequest): Promise<AnalyzeAccepted> {
  return apiRequest<AnalyzeAccepted>('/api/sync/analyze', { method: 'POST', body: { ...request, wait: false } });
}

export function fetchRuns(cursor: string | null, signal?: AbortSignal): Promise<RunsPage> {
  return apiRequest<RunsPage>('/api/sync/runs', { query: { limit: RUNS_PAGE_SIZE, cursor }, signal });
}

export function fetchRun(runId: string, signal?: AbortSignal): Promise<Run> {
  return apiRequest<Run>(`/api/sync/runs/${encodeURIComponent(runId)}`, { signal });
}

/** Single-file check by point lookups in each store. */
export function checkFile(fileId: string): Promise<Partial<FileStatus> & Pick<FileStatus, 'file_id'>> {
  return apiRequest<Partial<FileStatus> & Pick<FileStatus, 'file_id'>>(`/api/sync/check/${encodeURIComponent(fileId)}`, { method: 'POST' });
}
