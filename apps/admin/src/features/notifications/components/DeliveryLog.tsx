'use client';

import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from '@/components/Panel';
import { useChartColours } from '@/features/theme/chart-colours';
import { errorMessage } from '@/lib/api/client';
import { formatDateTime } from '@/lib/format';
import { STATUS_COLOURS } from '@/lib/colours';
import { useRetryDelivery } from '../api/mutations';
import { useDeliveries } from '../api/queries';
import type { DeliveryStatus } from '../api/types';

const STATUS_CLASS: Record<DeliveryStatus, string> = { delivered: 'status-synced', pending: 'status-running', dead_letter: 'status-error' };
const STATUS_FILL: Record<DeliveryStatus, string> = {
  delivered: STATUS_COLOURS.synced,
  pending: STATUS_COLOURS.out_of_sync,
  dead_letter: STATUS_COLOURS.missing,
};

/** Every message sent or being sent, with dead letters to retry, and a chart of deliveries by status. */
export function DeliveryLog() {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const query = useDeliveries(status ? { status } : {});
  const retry = useRetryDelivery();
  const colours = useChartColours();
  const deliveries = query.data?.deliveries ?? [];
  const byStatus = (['delivered', 'pending', 'dead_letter'] as DeliveryStatus[]).map((s) => ({
    status: s,
    count: deliveries.filter((d) => d.status === s).length,
  }));
  return (
    <Panel
      id="deliveries"
      title="Delivery log"
      isLoading={query.isLoading}
      error={query.error}
      onRetry={() => void query.refetch()}
      updatedAt={query.dataUpdatedAt}
    >
      <div className="filters">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | '')}>
            <option value="">any</option>
            <option value="delivered">delivered</option>
            <option value="pending">pending (retrying)</option>
            <option value="dead_letter">dead letter</option>
          </select>
        </label>
      </div>
      {retry.isError ? <p className="panel-error">Could not retry: {errorMessage(retry.error)}</p> : null}
      {deliveries.length === 0 ? (
        <p className="empty">No delivery yet.</p>
      ) : (
        <>
          <figure className="chart" aria-label="Deliveries by status">
            <ResponsiveContainer width="100%" height={140}>
              <BarChart data={byStatus} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 24 }}>
                <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
                <XAxis type="number" allowDecimals={false} stroke={colours.axis} tick={{ fill: colours.axis }} fontSize={12} />
                <YAxis type="category" dataKey="status" stroke={colours.axis} tick={{ fill: colours.axis }} fontSize={12} width={90} />
                <Tooltip contentStyle={{ background: colours.tooltipBackground, borderColor: colours.tooltipBorder, color: colours.text }} />
                <Bar dataKey="count" isAnimationActive={false} fill={colours.line}>
                  {byStatus.map((row) => (
                    <Cell key={row.status} fill={STATUS_FILL[row.status]} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <div className="table-scroll">
            <table className="table compact" aria-label="Deliveries">
              <thead>
                <tr>
                  <th>Created</th>
                  <th>Channel</th>
                  <th>Subject</th>
                  <th>Status</th>
                  <th className="num">Attempts</th>
                  <th>Last error</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                    <td className="small">{formatDateTime(d.created_at)}</td>
                    <td>{d.channel}</td>
                    <td>{d.message.subject}</td>
                    <td>
                      <span className={`badge ${STATUS_CLASS[d.status]}`}>{d.status.replace('_', ' ')}</span>
                      {d.status === 'pending' && d.attempts > 0 ? <div className="small muted">next {formatDateTime(d.next_attempt_at)}</div> : null}
                    </td>
                    <td className="num">{d.attempts}</td>
                    <td className="small wrap">{d.last_error ?? '–'}</td>
                    <td>
                      {d.status === 'dead_letter' ? (
                        <button type="button" className="small-button" disabled={retry.isPending} onClick={() => retry.mutate(d.id)}>
                          Retry
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Panel>
  );
}
