'use client';

import { useQuery } from '@tanstack/react-query';
import { syncKeys } from '@/lib/query-keys';
import { fetchFeeds } from './service';

export const feedKeys = { all: [...syncKeys.all, 'feeds'] as const };

/** The feeds' status has no event of its own on the socket: polled every few seconds. */
export function useFeeds() {
  return useQuery({ queryKey: feedKeys.all, queryFn: ({ signal }) => fetchFeeds(signal), refetchInterval: 3000 });
}
