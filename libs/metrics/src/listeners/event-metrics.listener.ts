import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OPS_EVENT_TYPES, OpsEventData, OpsEventType, SYNC_EVENT_TYPES, SyncEvent, SyncEventData, SyncEventType } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { MetricsRegistry } from '../metrics.registry';

type AnyEvent = { type?: string; data?: unknown };

/** Fills the counters from the bus: what was published, runs, issues, repairs, deliveries, feeds. */
@Injectable()
export class EventMetricsListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventMetricsListener.name);
  private stops: (() => void)[] = [];

  constructor(
    private readonly events: EventPublisher,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    const counted = (type: SyncEventType | OpsEventType) => (event: unknown) => {
      try {
        this.count(type, event as AnyEvent);
      } catch (error) {
        this.logger.warn({ message: 'could not count an event', type, error: (error as Error).message });
      }
    };
    this.stops = [
      ...SYNC_EVENT_TYPES.map((type) => this.events.on(type, counted(type))),
      ...OPS_EVENT_TYPES.map((type) => this.events.onOps(type, counted(type))),
    ];
  }

  onModuleDestroy(): void {
    this.stops.forEach((stop) => stop());
    this.stops = [];
  }

  private count(type: SyncEventType | OpsEventType, event: AnyEvent): void {
    if (!event || typeof event !== 'object') return;
    if ((SYNC_EVENT_TYPES as readonly string[]).includes(type)) this.metrics.eventsPublished.inc({ type });
    const m = this.metrics;
    if (type === 'sync.issue.detected' || type === 'sync.issue.resolved' || type === 'analysis.completed') m.queriedGaugesStale = true;
    switch (type) {
      case 'analysis.completed': {
        const sync = event as SyncEvent<'analysis.completed'>;
        const data = sync.data;
        const labels = { scope: sync.user_id ? 'user' : 'all', state: data.state };
        m.runDuration.observe(labels, data.duration_ms / 1000);
        m.runs.inc({ ...labels, partial: String(data.partial) });
        m.filesScanned.inc({ scope: labels.scope }, Number((data.summary as { total_files?: number }).total_files ?? 0));
        break;
      }
      case 'sync.issue.detected':
        m.issuesDetected.inc({ type: (event.data as SyncEventData['sync.issue.detected']).type });
        break;
      case 'sync.issue.resolved':
        m.issuesResolved.inc({ type: (event.data as SyncEventData['sync.issue.resolved']).type });
        break;
      case 'repair.action': {
        const data = event.data as { action?: unknown; result?: unknown; actor?: unknown; dry_run?: unknown };
        // Dry-run plan lines are not actions taken.
        if (data.dry_run === true || data.result === 'planned') break;
        m.repairActions.inc({ action: label(data.action), result: label(data.result), actor: label(data.actor ?? 'api') });
        break;
      }
      case 'notification.delivery': {
        const data = event as unknown as OpsEventData['notification.delivery'];
        m.notificationDeliveries.inc({ channel: data.channel, kind: data.kind, result: data.result });
        break;
      }
      case 'change_feed.change': {
        const data = event as unknown as OpsEventData['change_feed.change'];
        m.changeFeedEvents.inc({ feed: data.feed, mode: data.mode });
        if (data.lag_ms !== null) m.changeFeedLag.set({ feed: data.feed }, data.lag_ms / 1000);
        break;
      }
      case 'change_feed.status': {
        const data = event as unknown as OpsEventData['change_feed.status'];
        m.changeFeedConnected.set({ feed: data.feed, mode: data.mode }, data.connected ? 1 : 0);
        break;
      }
    }
  }
}

/** A metric label from an event field: strings and numbers as they are, anything else 'unknown'. */
function label(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : 'unknown';
}
