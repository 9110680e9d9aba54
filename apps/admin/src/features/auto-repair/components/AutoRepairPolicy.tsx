'use client';

import { Panel } from '@/components/Panel';
import { formatDateTime, formatNumber, humanize } from '@/lib/format';
import { useAutoRepair } from '../api/queries';

const OUTCOME_CLASS = {
  executed: 'status-synced',
  refused_circuit_breaker: 'status-out_of_sync',
  refused_partial_run: 'status-out_of_sync',
  failed: 'status-error',
} as const;

/** The automatic-repair policy (AUTO_REPAIR_*), set in the server's configuration, and what it did. */
export function AutoRepairPolicy() {
  const query = useAutoRepair();
  const s = query.data;
  return (
    <>
      <div className="cards">
        <Panel
          id="auto-policy"
          title="Policy"
          isLoading={query.isLoading}
          error={query.error}
          onRetry={() => void query.refetch()}
          updatedAt={query.dataUpdatedAt}
        >
          {s ? (
            <dl className="kv">
              <dt>State</dt>
              <dd>
                <span className={`badge ${s.enabled ? 'status-synced' : 'status-unchecked'}`} data-testid="auto-state">
                  {s.enabled ? 'on' : 'off (no AUTO_REPAIR_TYPES)'}
                </span>
              </dd>
              <dt>Repaired on detection</dt>
              <dd>
                {s.policy.types.length
                  ? s.policy.types.map((t) => (
                      <span key={t} className="tag">
                        {humanize(t)}
                      </span>
                    ))
                  : '–'}
              </dd>
              <dt>May remove things</dt>
              <dd>
                {s.policy.destructive_types.length
                  ? s.policy.destructive_types.map((t) => (
                      <span key={t} className="tag">
                        {humanize(t)}
                      </span>
                    ))
                  : 'none'}
              </dd>
              <dt>Rate limit</dt>
              <dd>{formatNumber(s.policy.max_per_minute)} issues a minute</dd>
              <dt>Batch window</dt>
              <dd>{s.policy.batch_seconds} s</dd>
              <dt>Circuit breaker</dt>
              <dd>never forced</dd>
            </dl>
          ) : null}
        </Panel>
        <Panel id="auto-totals" title="Since the start" isLoading={query.isLoading}>
          {s ? (
            <dl className="kv">
              <dt>Queued</dt>
              <dd>{formatNumber(s.queued)}</dd>
              <dt>Issues taken</dt>
              <dd>{formatNumber(s.totals.issues)}</dd>
              <dt>Done</dt>
              <dd data-testid="auto-done">{formatNumber(s.totals.done)}</dd>
              <dt>Skipped</dt>
              <dd>{formatNumber(s.totals.skipped)}</dd>
              <dt>Failed</dt>
              <dd>{formatNumber(s.totals.failed)}</dd>
              <dt>Refused</dt>
              <dd>{formatNumber(s.totals.refused)}</dd>
            </dl>
          ) : null}
        </Panel>
      </div>
      <Panel id="auto-recent" title="Recent batches" isLoading={query.isLoading}>
        {!s || s.recent.length === 0 ? (
          <p className="empty">No automatic repair yet.</p>
        ) : (
          <table className="table compact" aria-label="Recent automatic repairs">
            <thead>
              <tr>
                <th>When</th>
                <th className="num">Issues</th>
                <th>Outcome</th>
                <th className="num">Done</th>
                <th className="num">Skipped</th>
                <th className="num">Failed</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {s.recent.map((b, i) => (
                <tr key={`${b.at}-${i}`} data-testid="auto-batch">
                  <td className="small">{formatDateTime(b.at)}</td>
                  <td className="num">{b.issues}</td>
                  <td>
                    <span className={`badge ${OUTCOME_CLASS[b.outcome]}`}>{humanize(b.outcome)}</span>
                  </td>
                  <td className="num">{b.summary?.done ?? '–'}</td>
                  <td className="num">{b.summary?.skipped ?? '–'}</td>
                  <td className="num">{b.summary?.failed ?? '–'}</td>
                  <td className="small wrap">{b.error ?? (b.destructive ? 'destructive types' : '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
