'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useFallbackRefetchInterval } from '@/features/realtime/connection';
import { syncKeys } from '@/lib/query-keys';
import { fetchQuarantine } from './service';

export const quarantineKeys = { all: [...syncKeys.all, 'quarantine'] as const };

export function useQuarantine() {
  const refetchInterval = useFallbackRefetchInterval();
  return useInfiniteQuery({
    queryKey: quarantineKeys.all,
    queryFn: ({ pageParam, signal }) => fetchQuarantine(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval,
  });
}
