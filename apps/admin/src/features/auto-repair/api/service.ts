import { apiRequest } from '@/lib/api/client';
import type { AutoRepairStatus } from './types';

export function fetchAutoRepair(signal?: AbortSignal): Promise<AutoRepairStatus> {
  return apiRequest<AutoRepairStatus>('/api/auto-repair', { signal });
}
