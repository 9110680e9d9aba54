'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useFallbackRefetchInterval } from '@/features/realtime/connection';
import { syncKeys } from '@/lib/query-keys';
import { fetchUsers, fetchUserStatus } from './service';
import type { UsersFilter } from './types';

export const userKeys = {
  all: [...syncKeys.all, 'users'] as const,
  lists: () => [...userKeys.all, 'list'] as const,
  list: (filter: UsersFilter) => [...userKeys.lists(), filter] as const,
  details: () => [...userKeys.all, 'detail'] as const,
  detail: (userId: string) => [...userKeys.details(), userId] as const,
};

export function useUsers(filter: UsersFilter) {
  const refetchInterval = useFallbackRefetchInterval();
  return useInfiniteQuery({
    queryKey: userKeys.list(filter),
    queryFn: ({ pageParam, signal }) => fetchUsers(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval,
  });
}

export function useUserStatus(userId: string) {
  const refetchInterval = useFallbackRefetchInterval();
  return useInfiniteQuery({
    queryKey: userKeys.detail(userId),
    queryFn: ({ pageParam, signal }) => fetchUserStatus(userId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    enabled: userId !== '',
    refetchInterval,
    // A user with no files is a 404: show it, do not retry it.
    retry: (count, error) => !('status' in error && error.status === 404) && count < 2,
  });
}
