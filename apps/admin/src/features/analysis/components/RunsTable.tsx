'use client';

import Link from 'next/link';
import { ProgressBar } from '@/components/ProgressBar';
import { RunStateBadge } from '@/components/StatusBadge';
import type { Run, Store } from '@storesync/contract';
import { formatDateTime, formatDuration, formatNumber } from '@/lib/format';
import { useTrackedRuns } from '../run-tracker';

const STORES: Store[] = ['mongodb', 's3', 'qdrant'];

export function RunsTable({ runs }: { runs: Run[] }) {
  const tracked = useTrackedRuns();
  if (runs.length === 0) return <p className="empty">No analysis has run yet.</p>;
  return (
    <div className="table-scroll">
      <table className="table" data-testid="runs-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Scope</th>
            <th scope="col">State</th>
            <th scope="col">Duration</th>
            <th scope="col">Files</th>
            <th scope="col">Synced</th>
            <th scope="col">Out of sync</th>
            <th scope="col">Missing</th>
            <th scope="col">Error</th>
            <th scope="col">Stores</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            // Pushed progress is fresher than the listed row.
            const live = tracked.find((t) => t.run_id === run.run_id);
            const state = live && run.state === 'running' ? live.state : run.state;
            const processed = Math.max(live?.processed ?? 0, run.progress?.processed ?? 0);
            const total = live?.total_estimate || run.progress?.total_estimate || 0;
            return (
              <tr key={run.run_id} data-testid="run-row" data-state={state}>
                <td>
                  <time dateTime={run.started_at}>{formatDateTime(run.started_at)}</time>
                  {run.deep && <span className="tag">deep</span>}
                </td>
                <td>{run.scope?.user_id ? <Link href={`/users/view/?id=${encodeURIComponent(run.scope.user_id)}`}>{run.scope.user_id}</Link> : 'all users'}</td>
                <td>
                  <RunStateBadge state={state} />
                  {state === 'running' && (
                    <ProgressBar label={`Progress of run ${run.run_id}`} value={processed} max={total} state="running" testId="run-progress" />
                  )}
                  {run.reason && <div className="muted small">{run.reason}</div>}
                </td>
                <td>{formatDuration(run.duration_ms)}</td>
                <td className="num">{formatNumber(run.summary?.total_files)}</td>
                <td className="num text-synced">{formatNumber(run.summary?.synced)}</td>
                <td className="num text-out_of_sync">{formatNumber(run.summary?.out_of_sync)}</td>
                <td className="num text-missing">{formatNumber(run.summary?.missing)}</td>
                <td className="num text-error">{formatNumber(run.summary?.error)}</td>
                <td>
                  <ul className="store-states">
                    {STORES.map((store) => {
                      const s = run.stores?.[store];
                      return (
                        <li key={store} className={s?.ok === false ? 'text-error' : ''} title={s?.error ?? ''}>
                          {store}: {s ? (s.ok ? formatNumber(s.count) : 'failed') : '—'}
                        </li>
                      );
                    })}
                  </ul>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
