import { api } from '@/lib/api/client';
import type { FixRequest, FixResponse, PlanLinesPage } from './types';

export function requestFix(request: FixRequest): Promise<FixResponse> {
  return api.fix(request);
}

/** The next page of a saved plan's lines. */
export function fetchPlanLines(planId: string, cursor: string, limit = 500): Promise<PlanLinesPage> {
  return api.planLines(planId, { cursor, limit });
}
