'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Run } from '@storesync/contract';
import { formatDateTime, formatTime } from '@/lib/format';
import { STATUS_COLOURS } from '@/lib/colours';
import { useChartColours } from '@/features/theme/chart-colours';

/** Runs over time: file counts per status (stacked) and the run's duration. */
export function RunsChart({ runs }: { runs: Run[] }) {
  const colours = useChartColours();
  const points = [...runs]
    .filter((run) => run.state !== 'running')
    .reverse()
    .map((run) => ({
      at: run.started_at,
      synced: run.summary?.synced ?? 0,
      out_of_sync: run.summary?.out_of_sync ?? 0,
      missing: run.summary?.missing ?? 0,
      error: run.summary?.error ?? 0,
      duration_s: (run.duration_ms ?? 0) / 1000,
    }));
  if (points.length === 0) return <p className="empty">No finished run yet.</p>;
  return (
    <figure className="chart" aria-label="Files by status for each run, and run durations">
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
          <XAxis dataKey="at" tickFormatter={(at: string) => formatTime(at)} fontSize={12} stroke={colours.axis} tick={{ fill: colours.axis }} />
          <YAxis yAxisId="files" allowDecimals={false} fontSize={12} stroke={colours.axis} tick={{ fill: colours.axis }} />
          <YAxis yAxisId="duration" orientation="right" fontSize={12} unit=" s" stroke={colours.axis} tick={{ fill: colours.axis }} />
          <Tooltip
            labelFormatter={(at) => (typeof at === 'string' ? formatDateTime(at) : '')}
            contentStyle={{ background: colours.tooltipBackground, borderColor: colours.tooltipBorder, color: colours.text }}
          />
          {/* Legend words in body text colour: the amber fill is too light for text. */}
          <Legend formatter={(value: string) => <span className="chart-legend-text">{value}</span>} />
          <Bar yAxisId="files" dataKey="synced" stackId="files" maxBarSize={56} name="synced" fill={STATUS_COLOURS.synced} isAnimationActive={false} />
          <Bar
            yAxisId="files"
            dataKey="out_of_sync"
            stackId="files"
            maxBarSize={56}
            name="out of sync"
            fill={STATUS_COLOURS.out_of_sync}
            isAnimationActive={false}
          />
          <Bar yAxisId="files" dataKey="missing" stackId="files" maxBarSize={56} name="missing" fill={STATUS_COLOURS.missing} isAnimationActive={false} />
          <Bar yAxisId="files" dataKey="error" stackId="files" maxBarSize={56} name="error" fill={STATUS_COLOURS.error} isAnimationActive={false} />
          <Line yAxisId="duration" dataKey="duration_s" name="duration (s)" stroke={colours.line} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="visually-hidden">
        {points.length} runs; the latest had {points.at(-1)?.synced} synced, {points.at(-1)?.out_of_sync} out of sync, {points.at(-1)?.missing} missing and{' '}
        {points.at(-1)?.error} error files.
      </figcaption>
    </figure>
  );
}
