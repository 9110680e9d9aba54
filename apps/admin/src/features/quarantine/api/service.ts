import { apiRequest } from '@/lib/api/client';
import type { QuarantinePage } from './types';

export const QUARANTINE_PAGE_SIZE = 100;

export function fetchQuarantine(cursor: string | null, signal?: AbortSignal): Promise<QuarantinePage> {
  return apiRequest<QuarantinePage>('/api/sync/quarantine', { query: { limit: QUARANTINE_PAGE_SIZE, cursor }, signal });
}

export function restoreQuarantined(key: string): Promise<{ restored_key: string }> {
  return apiRequest<{ restored_key: string }>('/api/sync/quarantine/restore', { method: 'POST', body: { key } });
}
