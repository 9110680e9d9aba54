import { api } from '@/lib/api/client';
import type { FixRequest, FixResponse } from './types';

export function requestFix(request: FixRequest): Promise<FixResponse> {
  return api.fix(request);
}
