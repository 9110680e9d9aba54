'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useFallbackRefetchInterval } from '@/features/realtime/connection';
import { syncKeys } from '@/lib/query-keys';
import { fetchIssues } from './service';
import type { IssuesFilter } from './types';

export const issueKeys = {
  all: [...syncKeys.all, 'issues'] as const,
  list: (filter: IssuesFilter) => [...issueKeys.all, 'list', filter] as const,
};

export function useIssues(filter: IssuesFilter) {
  const refetchInterval = useFallbackRefetchInterval();
  return useInfiniteQuery({
    queryKey: issueKeys.list(filter),
    queryFn: ({ pageParam, signal }) => fetchIssues(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval,
  });
}
