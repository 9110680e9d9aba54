'use client';

import { useQuery } from '@tanstack/react-query';
import { syncKeys } from '@/lib/query-keys';
import { fetchDataModel } from './service';

export const dataModelKeys = {
  all: [...syncKeys.all, 'data-model'] as const,
};

/** The model changes only with a restart: fetched once per visit, no polling. */
export function useDataModel() {
  return useQuery({ queryKey: dataModelKeys.all, queryFn: ({ signal }) => fetchDataModel(signal), staleTime: Infinity });
}
