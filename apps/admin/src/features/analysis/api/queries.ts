'use client';

import { useInfiniteQuery, useQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import type { Run } from '@storesync/contract';
import { useConnectionState, useFallbackRefetchInterval } from '@/features/realtime/connection';
import { syncKeys } from '@/lib/query-keys';
import { fetchRun, fetchRuns } from './service';
import type { RunsPage } from './types';

export const runKeys = {
  all: [...syncKeys.all, 'runs'] as const,
  lists: () => [...runKeys.all, 'list'] as const,
  detail: (runId: string) => [...runKeys.all, 'detail', runId] as const,
};

export function useRuns() {
  const refetchInterval = useFallbackRefetchInterval();
  return useInfiniteQuery({
    queryKey: runKeys.lists(),
    queryFn: ({ pageParam, signal }) => fetchRuns(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval,
  });
}

/**
 * One run. While it runs, events carry its progress; polling is the safety net for a
 * missed `analysis.completed` (fast when the socket is down, slow when it is up).
 */
export function useRun(runId: string, running: boolean) {
  const connection = useConnectionState();
  return useQuery({
    queryKey: runKeys.detail(runId),
    queryFn: ({ signal }) => fetchRun(runId, signal),
    refetchInterval: running ? (connection.status === 'connected' ? 5_000 : 1_500) : false,
  });
}

/** Writes a fresher run (pushed or polled) into its detail and into the listed pages. */
export function mergeRunIntoCache(queryClient: QueryClient, run: Run): void {
  queryClient.setQueryData(runKeys.detail(run.run_id), run);
  queryClient.setQueryData<InfiniteData<RunsPage>>(runKeys.lists(), (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            runs: page.runs.map((listed) => (listed.run_id === run.run_id ? { ...listed, ...run } : listed)),
          })),
        }
      : data,
  );
}
