'use client';

import { createExternalStore, useExternalStore } from '@/lib/external-store';
import type { Run, RunState, Summary } from '@storesync/contract';

/** What the dashboard knows about one analysis it is showing progress for. */
export interface TrackedRun {
  run_id: string;
  scope_user_id: string | null;
  state: RunState;
  processed: number;
  total_estimate: number;
  started_at: string;
  duration_ms?: number;
  reason?: string;
  summary?: Summary;
  updated_at: number;
}

// Runs in progress or finished while this tab watched them, newest first. Fed by
// `analysis.*` events, by the analyze mutation and by run polling.
const trackedRuns = createExternalStore<TrackedRun[]>([]);

function upsert(runId: string, change: (previous: TrackedRun | undefined) => TrackedRun): void {
  trackedRuns.set((runs) => {
    const previous = runs.find((run) => run.run_id === runId);
    const next = change(previous);
    return previous ? runs.map((run) => (run.run_id === runId ? next : run)) : [next, ...runs].slice(0, 10);
  });
}

export function trackRunStarted(runId: string, scopeUserId: string | null, startedAt?: string): void {
  upsert(runId, (previous) => ({
    run_id: runId,
    scope_user_id: previous?.scope_user_id ?? scopeUserId,
    state: previous?.state ?? 'running',
    processed: previous?.processed ?? 0,
    total_estimate: previous?.total_estimate ?? 0,
    started_at: previous?.started_at ?? startedAt ?? new Date().toISOString(),
    summary: previous?.summary,
    duration_ms: previous?.duration_ms,
    updated_at: Date.now(),
  }));
}

export function trackRunProgress(runId: string, processed: number, totalEstimate: number): void {
  upsert(runId, (previous) => {
    // A late progress event must not turn a finished run back into a running one.
    const base = previous ?? {
      run_id: runId,
      scope_user_id: null,
      state: 'running' as const,
      started_at: new Date().toISOString(),
    };
    return {
      ...base,
      processed: Math.max(processed, previous?.processed ?? 0),
      total_estimate: totalEstimate,
      updated_at: Date.now(),
    };
  });
}

export function trackRun(run: Run): void {
  upsert(run.run_id, (previous) => ({
    run_id: run.run_id,
    scope_user_id: run.scope?.user_id ?? null,
    state: run.state,
    processed: run.state === 'running' ? Math.max(run.progress?.processed ?? 0, previous?.processed ?? 0) : (run.progress?.processed ?? 0),
    total_estimate: run.progress?.total_estimate ?? previous?.total_estimate ?? 0,
    started_at: run.started_at,
    duration_ms: run.duration_ms ?? undefined,
    reason: run.reason,
    summary: run.summary,
    updated_at: Date.now(),
  }));
}

export function dismissTrackedRun(runId: string): void {
  trackedRuns.set((runs) => runs.filter((run) => run.run_id !== runId));
}

export function useTrackedRuns(): TrackedRun[] {
  return useExternalStore(trackedRuns, []);
}

export function findTrackedRun(runId: string): TrackedRun | undefined {
  return trackedRuns.get().find((run) => run.run_id === runId);
}
