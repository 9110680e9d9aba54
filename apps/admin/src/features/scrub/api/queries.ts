'use client';

import { useQuery } from '@tanstack/react-query';
import { useFallbackRefetchInterval } from '@/features/realtime/connection';
import { syncKeys } from '@/lib/query-keys';
import { fetchScrubStatus } from './service';

export const scrubKeys = {
  all: [...syncKeys.all, 'scrub'] as const,
  status: (days: number) => [...scrubKeys.all, 'status', days] as const,
};

/** The scrubber's status; `scrub.*` events invalidate it, polling is the fallback. */
export function useScrubStatus(days: number) {
  const refetchInterval = useFallbackRefetchInterval();
  return useQuery({
    queryKey: scrubKeys.status(days),
    queryFn: ({ signal }) => fetchScrubStatus(days, signal),
    // While a run goes, its figures move every second.
    refetchInterval: (query) => (query.state.data?.running ? 2_000 : refetchInterval),
  });
}
