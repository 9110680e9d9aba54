import { apiRequest } from '@/lib/api/client';
import type { FeedStatus } from './types';

export function fetchFeeds(signal?: AbortSignal): Promise<{ feeds: FeedStatus[] }> {
  return apiRequest('/api/feeds/status', { signal });
}
