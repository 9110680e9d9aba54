import { Injectable, Logger } from '@nestjs/common';
import { SyncQueryService } from '@storesync/analysis';
import { EventStreamService } from '@storesync/realtime';
import { MetricsRegistry } from './metrics.registry';

/** Scrapes closer than this share one set of state queries, unless an issue or a run changed them. */
const QUERY_CACHE_MS = 5000;

/**
 * The exposition: counters as the listeners left them, plus the gauges that need a query
 * (open issues, users), refreshed at most every few seconds so a tight scrape interval
 * does not load the state store.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);
  private refreshedAt = 0;
  private refreshing?: Promise<void>;
  private dropped = { replay_evicted: 0, sink_failed: 0 };

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly queries: SyncQueryService,
    private readonly stream: EventStreamService,
  ) {}

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  async exposition(): Promise<string> {
    this.countDropped();
    if (this.metrics.queriedGaugesStale || Date.now() - this.refreshedAt >= QUERY_CACHE_MS) {
      this.refreshing ??= this.refreshGauges().finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
    return this.metrics.registry.metrics();
  }

  private countDropped(): void {
    const stats = this.stream.stats();
    const now = { replay_evicted: stats.dropped, sink_failed: stats.sinkFailures };
    for (const reason of ['replay_evicted', 'sink_failed'] as const) {
      const delta = now[reason] - this.dropped[reason];
      if (delta > 0) this.metrics.eventsDropped.inc({ reason }, delta);
    }
    this.dropped = now;
  }

  /** A state store that is down leaves the last values in place (and store_call_errors says why). */
  private async refreshGauges(): Promise<void> {
    this.metrics.queriedGaugesStale = false;
    try {
      const [issues, users] = await Promise.all([this.queries.openIssueCounts(), this.queries.userCounts()]);
      for (const [type, n] of Object.entries(issues)) this.metrics.openIssues.set({ type }, n);
      for (const [status, n] of Object.entries(users)) this.metrics.users.set({ status }, n);
      this.refreshedAt = Date.now();
    } catch (error) {
      this.metrics.queriedGaugesStale = true;
      this.logger.warn({ message: 'metrics: could not count issues and users', error: (error as Error).message });
    }
  }
}
