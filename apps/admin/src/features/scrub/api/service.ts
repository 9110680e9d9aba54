import { api } from '@/lib/api/client';
import type { ScrubRunStarted, ScrubStatusResponse } from './types';

export function fetchScrubStatus(days: number, signal?: AbortSignal): Promise<ScrubStatusResponse> {
  return api.scrubStatus(days, { signal });
}

/** Starts a scrubber run now (admin); 409 while one is going. */
export function startScrub(): Promise<ScrubRunStarted> {
  return api.runScrub();
}
