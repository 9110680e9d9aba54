import { api } from '@/lib/api/client';
import type { AutoRepairStatus } from './types';

export function fetchAutoRepair(signal?: AbortSignal): Promise<AutoRepairStatus> {
  return api.autoRepair({ signal });
}
