/** One change feed (`GET /api/feeds/status`). */
export interface FeedStatus {
  feed: 'mongodb' | 's3';
  mode: string;
  connected: boolean;
  last_event_at: string | null;
  lag_ms: number | null;
  events: number;
  checks_scheduled: number;
  last_error: string | null;
  since: string;
}
