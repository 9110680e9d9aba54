'use client';

import Link from 'next/link';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ProgressBar } from '@/components/ProgressBar';
import { RunStateBadge } from '@/components/StatusBadge';
import { UpdatedAt } from '@/components/UpdatedAt';
import { formatDuration, formatNumber } from '@/lib/format';
import { mergeRunIntoCache, useRun } from '../api/queries';
import { dismissTrackedRun, trackRun, useTrackedRuns, type TrackedRun } from '../run-tracker';

/** Polls a running run as a safety net for missed events, feeding the tracker. */
function RunPoller({ runId }: { runId: string }) {
  const run = useRun(runId, true);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!run.data) return;
    trackRun(run.data);
    if (run.data.state !== 'running') mergeRunIntoCache(queryClient, run.data);
  }, [run.data, queryClient]);
  return null;
}

function TrackedRunRow({ run }: { run: TrackedRun }) {
  const running = run.state === 'running';
  const scope = run.scope_user_id ? `user ${run.scope_user_id}` : 'all users';
  const max = running ? run.total_estimate : Math.max(run.total_estimate, run.processed, 1);
  const value = running ? run.processed : max;
  return (
    <li className="active-run" data-testid="active-run" data-run-id={run.run_id} data-state={run.state}>
      {running && <RunPoller runId={run.run_id} />}
      <div className="active-run-head">
        <strong>Analysis of {scope}</strong> <RunStateBadge state={run.state} />
        <span className="muted">
          {running
            ? `${formatNumber(run.processed)} of ${run.total_estimate > 0 ? formatNumber(run.total_estimate) : '?'} files`
            : `finished in ${formatDuration(run.duration_ms)}`}
        </span>
        <UpdatedAt at={run.updated_at} />
        {!running && (
          <button type="button" className="link-button" onClick={() => dismissTrackedRun(run.run_id)} aria-label={`Dismiss the analysis of ${scope}`}>
            Dismiss
          </button>
        )}
      </div>
      <ProgressBar label={`Analysis of ${scope}`} value={value} max={max} state={run.state} testId="analysis-progress" />
      {!running && run.summary && (
        <p className="active-run-result" data-testid="analysis-result">
          {formatNumber(run.summary.total_files)} files: {formatNumber(run.summary.synced)} synced, {formatNumber(run.summary.out_of_sync)} out of sync,{' '}
          {formatNumber(run.summary.missing)} missing, {formatNumber(run.summary.error)} error
          {run.reason ? ` — ${run.reason}` : ''}. <Link href="/runs/">See runs</Link>
        </p>
      )}
    </li>
  );
}

/** Every analysis started or seen running in this tab, with its progress bar. */
export function ActiveRuns() {
  const runs = useTrackedRuns();
  if (runs.length === 0) return null;
  return (
    <section className="active-runs" aria-label="Analyses in progress">
      <ul>
        {runs.map((run) => (
          <TrackedRunRow key={run.run_id} run={run} />
        ))}
      </ul>
    </section>
  );
}
