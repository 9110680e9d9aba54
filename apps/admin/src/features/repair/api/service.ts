import { apiRequest } from '@/lib/api/client';
import type { FixRequest, FixResponse } from './types';

export function requestFix(request: FixRequest): Promise<FixResponse> {
  return apiRequest<FixResponse>('/api/sync/fix', { method: 'POST', body: request });
}
