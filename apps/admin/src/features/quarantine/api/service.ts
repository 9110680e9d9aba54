import { api } from '@/lib/api/client';
import type { QuarantinePage } from './types';

export const QUARANTINE_PAGE_SIZE = 100;

export function fetchQuarantine(cursor: string | null, signal?: AbortSignal): Promise<QuarantinePage> {
  return api.quarantine({ limit: QUARANTINE_PAGE_SIZE, cursor: cursor ?? undefined }, { signal });
}

export function restoreQuarantined(key: string): Promise<{ restored_key: string }> {
  return api.restoreQuarantined(key);
}
