'use client';

import { useQuery } from '@tanstack/react-query';
import { useFallbackRefetchInterval } from '@/features/realtime/connection';
import { syncKeys } from '@/lib/query-keys';
import { fetchOverview } from './service';

export const overviewKeys = {
  all: [...syncKeys.all, 'overview'] as const,
};

export function useOverview() {
  const refetchInterval = useFallbackRefetchInterval();
  return useQuery({
    queryKey: overviewKeys.all,
    queryFn: ({ signal }) => fetchOverview(signal),
    refetchInterval,
  });
}
