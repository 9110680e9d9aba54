'use client';

import { Panel } from '@/components/Panel';
import { errorMessage } from '@/lib/api/client';
import { formatBytes, formatDateTime, formatDuration, formatNumber, humanize } from '@/lib/format';
import { useStartScrub } from '../api/mutations';
import { useScrubStatus } from '../api/queries';
import { COVERAGE_DAYS, type ScrubRun } from '../api/types';

function percent(part: number, whole: number | null): string {
  if (!whole) return '–';
  return `${Math.floor((part / whole) * 1000) / 10} %`;
}

const STOPPED_LABEL: Record<NonNullable<ScrubRun['stopped']>, string> = {
  done: 'every file due was checked',
  time_budget: 'time budget used up; the next run continues',
  store_unavailable: 'a store did not answer (nothing unread counts as a mismatch)',
  failed: 'failed',
};

function RunLine({ run, label }: { run: ScrubRun; label: string }) {
  return (
    <dl className="scrub-run" data-testid={`scrub-${label}`}>
      <dt>{label === 'running' ? 'Running since' : 'Last run'}</dt>
      <dd>
        {formatDateTime(run.started_at)} ({run.trigger}){run.duration_ms !== null && ` · ${formatDuration(run.duration_ms)}`}
      </dd>
      <dt>Verified</dt>
      <dd data-testid={`scrub-${label}-verified`}>
        {formatNumber(run.files_verified)} files · {formatBytes(run.bytes_verified)} · {formatBytes(run.bytes_per_second)}/s
      </dd>
      <dt>Mismatches</dt>
      <dd className={run.mismatches > 0 ? 'scrub-bad' : undefined}>{formatNumber(run.mismatches)}</dd>
      {run.stopped && (
        <>
          <dt>Stopped</dt>
          <dd data-testid={`scrub-${label}-stopped`}>
            {STOPPED_LABEL[run.stopped]}
            {run.reason ? ` — ${run.reason}` : ''}
          </dd>
        </>
      )}
      <dt>Position</dt>
      <dd>
        {humanize(run.position.phase)}
        {run.position.cursor ? ` · ${run.position.cursor}` : ''}
      </dd>
    </dl>
  );
}

/** The checksum scrubber: coverage (verified in the last N days, never verified), the last run, "run now". */
export function ScrubPanel() {
  const status = useScrubStatus(COVERAGE_DAYS);
  const start = useStartScrub();
  const data = status.data;
  const coverage = data?.coverage;
  const running = !!data?.running;
  return (
    <Panel
      id="scrub"
      title="Checksum scrubber"
      updatedAt={status.dataUpdatedAt || null}
      isLoading={status.isPending}
      error={status.error}
      onRetry={() => void status.refetch()}
      actions={
        <button type="button" className="primary" data-testid="scrub-run-now" disabled={start.isPending || running} onClick={() => start.mutate()}>
          {running ? 'Running…' : start.isPending ? 'Starting…' : 'Run now'}
        </button>
      }
    >
      {start.isError && (
        <p role="alert" className="inline-error">
          {errorMessage(start.error)}
        </p>
      )}
      {start.data?.already_running && (
        <p role="status" className="muted">
          A run is already going.
        </p>
      )}
      {coverage && data && (
        <>
          <div className="totals">
            <div className="total total-synced" data-testid="scrub-verified-recently">
              <span className="total-value">{formatNumber(coverage.verified_within_days)}</span>
              <span className="total-label">
                verified in {coverage.days} days ({percent(coverage.verified_within_days, coverage.total_files)})
              </span>
            </div>
            <div className={`total ${coverage.never_verified ? 'total-missing' : 'total-all'}`} data-testid="scrub-never-verified">
              <span className="total-value">{coverage.never_verified === null ? '–' : formatNumber(coverage.never_verified)}</span>
              <span className="total-label">never verified</span>
            </div>
            <div className="total total-all" data-testid="scrub-total-files">
              <span className="total-value">{coverage.total_files === null ? '–' : formatNumber(coverage.total_files)}</span>
              <span className="total-label">files{coverage.total_files === null ? ' (MongoDB not answering)' : ''}</span>
            </div>
            <div className={`total ${coverage.mismatched > 0 ? 'total-out_of_sync' : 'total-all'}`} data-testid="scrub-mismatched">
              <span className="total-value">{formatNumber(coverage.mismatched)}</span>
              <span className="total-label">mismatched</span>
            </div>
          </div>
          <p className="muted" data-testid="scrub-settings">
            {data.settings.interval_minutes === 0 ? 'Scheduled runs off' : `Every ${data.settings.interval_minutes} min`} · budget{' '}
            {formatDuration(data.settings.time_budget_seconds * 1000)} ·{' '}
            {data.settings.bytes_per_second === 0 ? 'no rate limit' : `at most ${formatBytes(data.settings.bytes_per_second)}/s`} ·{' '}
            {formatNumber(coverage.not_checkable)} not checkable · oldest check{' '}
            {coverage.oldest_verified_at ? formatDateTime(coverage.oldest_verified_at) : 'none yet'}
          </p>
          {data.running && <RunLine run={data.running} label="running" />}
          {data.last_run ? <RunLine run={data.last_run} label="last" /> : <p className="muted">No run yet.</p>}
        </>
      )}
    </Panel>
  );
}
