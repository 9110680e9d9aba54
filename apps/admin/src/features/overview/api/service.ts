import { api } from '@/lib/api/client';
import type { Overview } from './types';

export function fetchOverview(signal?: AbortSignal): Promise<Overview> {
  return api.overview({ signal });
}
