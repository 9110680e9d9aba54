import { Injectable } from '@nestjs/common';
import { EventPublisher } from '@storesync/events';

export type FeedName = 'mongodb' | 's3';

/** What the dashboard and GET /api/feeds/status show of one feed. */
export interface FeedStatus {
  feed: FeedName;
  /** change_stream, poll, webhook, or off. */
  mode: string;
  connected: boolean;
  last_event_at: string | null;
  /** How old the last change was when the feed saw it (its own timestamp against ours). */
  lag_ms: number | null;
  events: number;
  checks_scheduled: number;
  last_error: string | null;
  since: string;
}

/** The feeds' live state, in memory, and the ops events the metrics count. */
@Injectable()
export class FeedStatusService {
  private readonly feeds = new Map<FeedName, FeedStatus>();

  constructor(private readonly events: EventPublisher) {}

  all(): FeedStatus[] {
    return (['mongodb', 's3'] as FeedName[]).map((feed) => this.feeds.get(feed) ?? blank(feed, 'off'));
  }

  get(feed: FeedName): FeedStatus {
    return this.feeds.get(feed) ?? blank(feed, 'off');
  }

  setMode(feed: FeedName, mode: string, connected: boolean, error: string | null = null): void {
    const known = this.feeds.get(feed);
    const current = known ?? blank(feed, mode);
    // The first report counts as a change: the metrics should show a feed that never connected as 0, not nothing.
    const changed = !known || current.mode !== mode || current.connected !== connected;
    this.feeds.set(feed, {
      ...current,
      mode,
      connected,
      last_error: error ?? (connected ? null : current.last_error),
      since: changed ? new Date().toISOString() : current.since,
    });
    if (changed) this.events.publishOps('change_feed.status', { feed, mode, connected });
  }

  /** A change seen; `at` is when the store says it happened, when it says. */
  change(feed: FeedName, at: Date | null, scheduled: boolean): void {
    const current = this.get(feed);
    const now = Date.now();
    const lag = at ? Math.max(0, now - at.getTime()) : null;
    this.feeds.set(feed, {
      ...current,
      last_event_at: new Date(now).toISOString(),
      lag_ms: lag ?? current.lag_ms,
      events: current.events + 1,
      checks_scheduled: current.checks_scheduled + (scheduled ? 1 : 0),
    });
    this.events.publishOps('change_feed.change', { feed, mode: current.mode, lag_ms: lag });
  }
}

function blank(feed: FeedName, mode: string): FeedStatus {
  return { feed, mode, connected: false, last_event_at: null, lag_ms: null, events: 0, checks_scheduled: 0, last_error: null, since: new Date().toISOString() };
}
