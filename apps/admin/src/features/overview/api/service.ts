import { apiRequest } from '@/lib/api/client';
import type { Overview } from './types';

export function fetchOverview(signal?: AbortSignal): Promise<Overview> {
  return apiRequest<Overview>('/api/sync/overview', { signal });
}
