'use client';

import { Panel } from '@/components/Panel';
import { useRuns } from '../api/queries';
import { AnalyzeButton } from './AnalyzeButton';
import { RunsChart } from './RunsChart';
import { RunsTable } from './RunsTable';

export function RunsHistory() {
  const runs = useRuns();
  const rows = runs.data?.pages.flatMap((page) => page.runs) ?? [];
  const panel = {
    updatedAt: runs.dataUpdatedAt || null,
    isLoading: runs.isPending,
    error: runs.error,
    onRetry: () => void runs.refetch(),
  };
  return (
    <div className="grid">
      <Panel id="runs-chart" title="Runs over time" {...panel}>
        <RunsChart runs={rows} />
      </Panel>
      <Panel id="runs" title="History" {...panel} actions={<AnalyzeButton label="Analyze all users" testId="analyze-all" withDeepOption />}>
        <RunsTable runs={rows} />
        {runs.hasNextPage && (
          <button type="button" className="secondary load-more" disabled={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
            {runs.isFetchingNextPage ? 'Loading…' : 'Load older runs'}
          </button>
        )}
      </Panel>
    </div>
  );
}
