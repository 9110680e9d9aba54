import { api } from '@/lib/api/client';
import type { FeedStatus } from './types';

export function fetchFeeds(signal?: AbortSignal): Promise<{ feeds: FeedStatus[] }> {
  return api.feeds({ signal });
}
