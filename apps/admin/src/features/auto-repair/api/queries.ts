'use client';

import { useQuery } from '@tanstack/react-query';
import { syncKeys } from '@/lib/query-keys';
import { fetchAutoRepair } from './service';

export const autoRepairKeys = { all: [...syncKeys.all, 'auto-repair'] as const };

export function useAutoRepair() {
  return useQuery({ queryKey: autoRepairKeys.all, queryFn: ({ signal }) => fetchAutoRepair(signal), refetchInterval: 5000 });
}
