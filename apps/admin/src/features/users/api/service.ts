import { api } from '@/lib/api/client';
import type { UserStatusPage, UsersFilter, UsersPage } from './types';

export const USERS_PAGE_SIZE = 100;
export const FILES_PAGE_SIZE = 100;

export function fetchUsers(filter: UsersFilter, cursor: string | null, signal?: AbortSignal): Promise<UsersPage> {
  return api.users({ status: filter.status, q: filter.q, limit: USERS_PAGE_SIZE, cursor: cursor ?? undefined }, { signal });
}

export function fetchUserStatus(userId: string, cursor: string | null, signal?: AbortSignal): Promise<UserStatusPage> {
  return api.userStatus(userId, { limit: FILES_PAGE_SIZE, cursor: cursor ?? undefined }, { signal });
}
