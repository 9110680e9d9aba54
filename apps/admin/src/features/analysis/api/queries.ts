'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useConnectionState, useFallbackRefetchInterval } from '@/features/realtime/connection';
import { syncKeys } from '@/lib/query-keys';
import { fetchRun, fetchRuns } from './service';

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
