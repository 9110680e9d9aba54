'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { trackRun } from '@/features/analysis/run-tracker';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { RunsChart } from '@/features/analysis/components/RunsChart';
import { Panel } from '@/components/Panel';
import { RunStateBadge } from '@/components/StatusBadge';
import { STORE_LABEL } from '@/components/StoreBadges';
import { ISSUE_TYPES, STATUSES, STORES, type Status } from '@storesync/contract';
import { STORE_COLOURS } from '@/lib/colours';
import { formatBytes, formatDateTime, formatDuration, formatNumber, humanize } from '@/lib/format';
import { useOverview } from '../api/queries';

const STATUS_TITLE: Record<Status, string> = {
  synced: 'Synced',
  out_of_sync: 'Out of sync',
  missing: 'Missing',
  error: 'Error',
};

function usePanelState() {
  const overview = useOverview();
  return {
    overview,
    panel: {
      updatedAt: overview.dataUpdatedAt || null,
      isLoading: overview.isPending,
      error: overview.error,
      onRetry: () => void overview.refetch(),
    },
  };
}

export function TotalsPanel() {
  const { overview, panel } = usePanelState();
  const summary = overview.data?.summary;
  const running = overview.data?.running;
  // Analyses already running when the page opened get their progress bar too.
  useEffect(() => {
    for (const run of running ?? []) trackRun(run);
  }, [running]);
  return (
    <Panel id="totals" title="Files by status" {...panel}>
      {summary && (
        <div className="totals">
          <div className="total total-all" data-testid="total-files">
            <span className="total-value">{formatNumber(summary.total_files)}</span>
            <span className="total-label">files</span>
          </div>
          {STATUSES.map((status) => (
            <Link
              key={status}
              href={`/users/?status=${status}`}
              className={`total total-${status}`}
              data-testid={`total-${status}`}
              aria-label={`${formatNumber(summary[status])} ${STATUS_TITLE[status]} — show users`}
            >
              <span className="total-value">{formatNumber(summary[status])}</span>
              <span className="total-label">{STATUS_TITLE[status]}</span>
            </Link>
          ))}
          <Link href="/issues/" className="total total-issues" data-testid="total-open-issues">
            <span className="total-value">{formatNumber(overview.data?.open_issues)}</span>
            <span className="total-label">open issues</span>
          </Link>
        </div>
      )}
    </Panel>
  );
}

export function IssuesByTypePanel() {
  const { overview, panel } = usePanelState();
  const byType = overview.data?.issues_by_type ?? overview.data?.summary.issues_by_type ?? {};
  const rows = ISSUE_TYPES.map((type) => ({ type, count: byType[type] ?? 0 })).filter((row) => row.count > 0);
  return (
    <Panel id="issues-by-type" title="Open issues by type" {...panel}>
      {overview.data &&
        (rows.length === 0 ? (
          <p className="empty good">No open issues.</p>
        ) : (
          <table className="table compact" data-testid="issues-by-type">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col" className="num">
                  Open
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.type} data-type={row.type}>
                  <td>
                    <Link href={`/issues/?type=${row.type}`}>{humanize(row.type)}</Link>
                  </td>
                  <td className="num">{formatNumber(row.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </Panel>
  );
}

export function StoragePanel() {
  const { overview, panel } = usePanelState();
  const storage = overview.data?.storage;
  const files = storage
    ? [
        { store: 'mongodb' as const, label: 'MongoDB files', value: storage.mongodb.files },
        { store: 's3' as const, label: 'S3 objects', value: storage.s3.objects },
        { store: 'qdrant' as const, label: 'Qdrant files', value: storage.qdrant.files },
      ]
    : [];
  const bytes = storage
    ? [
        { store: 'mongodb' as const, label: 'MongoDB (declared)', value: storage.mongodb.bytes },
        { store: 's3' as const, label: 'S3 (stored)', value: storage.s3.bytes },
      ]
    : [];
  return (
    <Panel id="storage" title="Storage distribution" {...panel}>
      {overview.data && !storage && <p className="empty">Not measured yet: run a full analysis.</p>}
      {storage && (
        <div className="chart-pair">
          <figure className="chart" aria-label="Files per store">
            <figcaption>Files per store</figcaption>
            <ResponsiveContainer width="100%" height={180}>
              <BarChart data={files} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#d0d7de" />
                <XAxis dataKey="label" fontSize={12} />
                <YAxis allowDecimals={false} fontSize={12} />
                <Tooltip formatter={(value) => formatNumber(Number(value))} />
                <Bar dataKey="value" name="files" isAnimationActive={false}>
                  {files.map((row) => (
                    <Cell key={row.store} fill={STORE_COLOURS[row.store]} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <figure className="chart" aria-label="Bytes per store">
            <figcaption>Bytes per store</figcaption>
            <ResponsiveContainer width="100%" height={180}>
              <BarChart data={bytes} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#d0d7de" />
                <XAxis dataKey="label" fontSize={12} />
                <YAxis tickFormatter={(value: number) => formatBytes(value)} fontSize={12} width={64} />
                <Tooltip formatter={(value) => formatBytes(Number(value))} />
                <Bar dataKey="value" name="bytes" isAnimationActive={false}>
                  {bytes.map((row) => (
                    <Cell key={row.store} fill={STORE_COLOURS[row.store]} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <table className="table compact storage-table" data-testid="storage-table">
            <caption className="visually-hidden">Storage per store</caption>
            <thead>
              <tr>
                <th scope="col">Store</th>
                <th scope="col" className="num">
                  Files
                </th>
                <th scope="col" className="num">
                  Items
                </th>
                <th scope="col" className="num">
                  Bytes
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">MongoDB</th>
                <td className="num">{formatNumber(storage.mongodb.files)}</td>
                <td className="num">{formatNumber(storage.mongodb.files)} docs</td>
                <td className="num">{formatBytes(storage.mongodb.bytes)}</td>
              </tr>
              <tr>
                <th scope="row">S3</th>
                <td className="num">—</td>
                <td className="num">{formatNumber(storage.s3.objects)} objects</td>
                <td className="num">{formatBytes(storage.s3.bytes)}</td>
              </tr>
              <tr>
                <th scope="row">Qdrant</th>
                <td className="num">{formatNumber(storage.qdrant.files)}</td>
                <td className="num">{formatNumber(storage.qdrant.points)} points</td>
                <td className="num">—</td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

export function HealthPanel() {
  const { overview, panel } = usePanelState();
  const health = overview.data?.health;
  return (
    <Panel id="health" title="Store health" {...panel}>
      {health && (
        <ul className="health" data-testid="store-health">
          {STORES.map((store) => {
            const state = health[store];
            const ok = state?.ok ?? false;
            return (
              <li key={store} className={`health-item ${ok ? 'ok' : 'down'}`} data-store={store} data-ok={ok}>
                <span className={`badge ${ok ? 'status-synced' : 'status-error'}`}>
                  <span className="dot" aria-hidden="true" />
                  {ok ? 'up' : 'down'}
                </span>
                <strong>{STORE_LABEL[store]}</strong>
                <span className="muted">
                  {state?.kind}
                  {ok && state ? ` · ${formatNumber(state.latency_ms)} ms` : ''}
                </span>
                {state?.error && <span className="text-error small">{state.error}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}

export function LastRunPanel() {
  const { overview, panel } = usePanelState();
  const run = overview.data?.last_run;
  return (
    <Panel id="last-run" title="Last analysis" {...panel}>
      {overview.data &&
        (run ? (
          <dl className="facts" data-testid="last-run" data-run-id={run.run_id} data-state={run.state}>
            <div>
              <dt>State</dt>
              <dd>
                <RunStateBadge state={run.state} />
              </dd>
            </div>
            <div>
              <dt>Scope</dt>
              <dd>
                {run.scope?.user_id ?? 'all users'}
                {run.deep ? ' (deep)' : ''}
              </dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                <time dateTime={run.started_at}>{formatDateTime(run.started_at)}</time>
              </dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd data-testid="last-run-duration">{formatDuration(run.duration_ms)}</dd>
            </div>
            <div>
              <dt>Files checked</dt>
              <dd>{formatNumber(run.summary?.total_files)}</dd>
            </div>
            {run.reason && (
              <div>
                <dt>Note</dt>
                <dd>{run.reason}</dd>
              </div>
            )}
          </dl>
        ) : (
          <p className="empty">No analysis has run yet.</p>
        ))}
    </Panel>
  );
}

export function RunsOverTimePanel() {
  const { overview, panel } = usePanelState();
  return (
    <Panel id="runs-over-time" title="Runs over time" {...panel} actions={<Link href="/runs/">All runs</Link>}>
      {overview.data && <RunsChart runs={overview.data.runs} />}
    </Panel>
  );
}
