'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useFallbackRefetchInterval } from '@/features/realtime/connection';
import { syncKeys } from '@/lib/query-keys';
import { fetchAudit } from './service';
import type { AuditFilter } from './types';

export const auditKeys = {
  all: [...syncKeys.all, 'audit'] as const,
  list: (filter: AuditFilter) => [...auditKeys.all, filter] as const,
};

export function useAuditTrail(filter: AuditFilter) {
  const refetchInterval = useFallbackRefetchInterval();
  return useInfiniteQuery({
    queryKey: auditKeys.list(filter),
    queryFn: ({ pageParam, signal }) => fetchAudit(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval,
  });
}
