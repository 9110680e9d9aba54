import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const PREFIX = 'storesync_';

/** Store calls are milliseconds to seconds; a hung store shows in the top buckets. */
const STORE_CALL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const RUN_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600];

/**
 * The service's Prometheus metrics, in a registry of its own (two apps in one process,
 * as in the tests, never share or clash). Listeners fill the counters from events; the
 * gauges that need a query are set by the collectors just before a scrape.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly openIssues = new Gauge({ name: `${PREFIX}open_issues`, help: 'Open issues by type', labelNames: ['type'], registers: [this.registry] });
  readonly users = new Gauge({ name: `${PREFIX}users`, help: 'Users by their latest status', labelNames: ['status'], registers: [this.registry] });

  readonly runDuration = new Histogram({
    name: `${PREFIX}analysis_duration_seconds`,
    help: 'Duration of finished analyses',
    labelNames: ['scope', 'state'],
    buckets: RUN_BUCKETS,
    registers: [this.registry],
  });
  readonly runs = new Counter({
    name: `${PREFIX}analysis_runs_total`,
    help: 'Finished analyses',
    labelNames: ['scope', 'state', 'partial'],
    registers: [this.registry],
  });
  readonly filesScanned = new Counter({
    name: `${PREFIX}analysis_files_scanned_total`,
    help: 'Files classified by finished analyses',
    labelNames: ['scope'],
    registers: [this.registry],
  });
  readonly issuesDetected = new Counter({ name: `${PREFIX}issues_detected_total`, help: 'Issues detected', labelNames: ['type'], registers: [this.registry] });
  readonly issuesResolved = new Counter({ name: `${PREFIX}issues_resolved_total`, help: 'Issues resolved', labelNames: ['type'], registers: [this.registry] });

  readonly storeCallDuration = new Histogram({
    name: `${PREFIX}store_call_duration_seconds`,
    help: 'Latency of store calls (a page of a listing is one call)',
    labelNames: ['store', 'operation'],
    buckets: STORE_CALL_BUCKETS,
    registers: [this.registry],
  });
  readonly storeCallErrors = new Counter({
    name: `${PREFIX}store_call_errors_total`,
    help: 'Store calls that failed: unavailable (down, timed out) or error (answered with an error)',
    labelNames: ['store', 'operation', 'outcome'],
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: `${PREFIX}events_published_total`,
    help: 'Events published on the bus',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly eventsDropped = new Counter({
    name: `${PREFIX}events_dropped_total`,
    help: 'Events lost to clients: evicted from the replay buffer before a reconnecting client asked, or a sink that failed',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly repairActions = new Counter({
    name: `${PREFIX}repair_actions_total`,
    help: 'Repair actions by result',
    labelNames: ['action', 'result', 'actor'],
    registers: [this.registry],
  });
  readonly notificationDeliveries = new Counter({
    name: `${PREFIX}notification_deliveries_total`,
    help: 'Notification delivery attempts by channel and result',
    labelNames: ['channel', 'kind', 'result'],
    registers: [this.registry],
  });
  readonly changeFeedEvents = new Counter({
    name: `${PREFIX}change_feed_events_total`,
    help: 'Changes seen by the change feeds',
    labelNames: ['feed', 'mode'],
    registers: [this.registry],
  });
  readonly changeFeedLag = new Gauge({
    name: `${PREFIX}change_feed_lag_seconds`,
    help: 'Age of the last change when a feed saw it',
    labelNames: ['feed'],
    registers: [this.registry],
  });
  readonly changeFeedConnected = new Gauge({
    name: `${PREFIX}change_feed_connected`,
    help: '1 while a feed is connected',
    labelNames: ['feed', 'mode'],
    registers: [this.registry],
  });

  /** Set when an event changed what the queried gauges count: the next scrape queries again. */
  queriedGaugesStale = true;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }
}
