import { apiRequest } from '@/lib/api/client';
import type { UserStatusPage, UsersFilter, UsersPage } from './types';

export const USERS_PAGE_SIZE = 100;
export const FILES_PAGE_SIZE = 100;

export function fetchUsers(filter: UsersFilter, cursor: string | null, signal?: AbortSignal): Promise<UsersPage> {
  return apiRequest<UsersPage>('/api/sync/users', {
    query: { status: filter.status, q: filter.q, limit: USERS_PAGE_SIZE, cursor },
    signal,
  });
}

export function fetchUserStatus(userId: string, cursor: string | null, signal?: AbortSignal): Promise<UserStatusPage> {
  return apiRequest<UserStatusPage>(`/api/sync/status/${encodeURIComponent(userId)}`, {
    query: { limit: FILES_PAGE_SIZE, cursor },
    signal,
  });
}
