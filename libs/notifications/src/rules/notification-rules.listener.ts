import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig, RuleSettings } from '@storesync/config';
import type { OpsEventData, OpsEventType, SyncEvent, SyncEventType } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import type { NotificationItem } from '../notification.types';
import { NotificationsService } from '../notifications.service';
import { DigestBuffer, DigestWindow } from './digest-buffer';

/**
 * Turns bus events into notification items, matches them against the rules, and hands each
 * rule's digest window to the outbox as one message per channel. Listens only: the modules
 * that emit know nothing of notifications.
 */
@Injectable()
export class NotificationRulesListener implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationRulesListener.name);
  private stops: (() => void)[] = [];
  private readonly storesUp = new Map<string, boolean>();
  private readonly rules: RuleSettings[];
  private readonly digest: DigestBuffer<number>;

  constructor(
    private readonly events: EventPublisher,
    private readonly notifications: NotificationsService,
    config: AppConfig,
  ) {
    this.rules = config.notifications.rules;
    this.digest = new DigestBuffer(config.notifications.digestSeconds * 1000, (rule, window) => this.flush(rule, window));
  }

  onModuleInit(): void {
    if (this.rules.length === 0) return;
    this.on('sync.issue.detected', (e: SyncEvent<'sync.issue.detected'>) => {
      const { type, store, file_key, issue_id } = e.data;
      if (type === 'store_unavailable') this.storeDown(store, `${store} unavailable during a check`, e.at);
      this.add({
        trigger: 'issues_detected',
        at: e.at,
        summary: `${type}${file_key ? ` ${file_key}` : ''}`,
        details: { issue_id, type, store, user_id: e.user_id, file_id: e.file_id ?? null },
      });
    });
    this.on('store.health', (e: SyncEvent<'store.health'>) => {
      for (const [store, health] of Object.entries(e.data)) {
        if (health.ok) this.storesUp.set(store, true);
        else this.storeDown(store, health.error ?? 'down', e.at);
      }
    });
    this.on('analysis.completed', (e: SyncEvent<'analysis.completed'>) => {
      if (!e.data.partial) return;
      this.add({
        trigger: 'partial_run',
        at: e.at,
        summary: `run ${e.data.run_id} ${e.data.state}, partial`,
        details: { run_id: e.data.run_id, state: e.data.state, user_id: e.user_id },
      });
    });
    this.on('repair.action', (e: SyncEvent<'repair.action'>) => {
      const d = e.data as { result?: string; action?: string; target?: string; error?: string | null; issue_id?: string; actor?: string };
      if (d.result !== 'failed') return;
      this.add({ trigger: 'repair_failed', at: e.at, summary: `${d.action} ${d.target ?? ''} failed${d.error ? `: ${d.error}` : ''}`, details: { ...d } });
    });
    this.onOps('repair.circuit_breaker', (e: OpsEventData['repair.circuit_breaker']) => {
      this.add({ trigger: 'circuit_breaker', at: new Date().toISOString(), summary: `circuit breaker tripped (${e.actor}): ${e.reason}`, details: { ...e } });
    });
  }

  onModuleDestroy(): void {
    this.stops.forEach((stop) => stop());
    this.stops = [];
  }

  /** What was collected before a shutdown is still put in the outbox. */
  onApplicationShutdown(): void {
    this.digest.closeAll();
  }

  private on<E>(type: SyncEventType, handle: (event: E) => void): void {
    this.stops.push(this.events.on(type, this.guarded(type, handle)));
  }

  private onOps<E>(type: OpsEventType, handle: (event: E) => void): void {
    this.stops.push(this.events.onOps(type, this.guarded(type, handle)));
  }

  /** A listener owns its errors: a bad event is logged, never thrown into the emitter. */
  private guarded<E>(type: string, handle: (event: E) => void): (event: unknown) => void {
    return (event) => {
      try {
        if (event && typeof event === 'object') handle(event as E);
      } catch (error) {
        this.logger.warn({ message: 'could not turn an event into a notification', type, error: (error as Error).message });
      }
    };
  }

  /** Only the change from up (or unknown) to down is news; the next `up` re-arms it. */
  private storeDown(store: string, reason: string, at: string): void {
    if (this.storesUp.get(store) === false) return;
    this.storesUp.set(store, false);
    this.add({ trigger: 'store_down', at, summary: `${store} down: ${reason}`, details: { store, reason } });
  }

  private add(item: NotificationItem): void {
    this.rules.forEach((rule, index) => {
      if (!rule.on.includes(item.trigger)) return;
      if (item.trigger === 'issues_detected' && rule.types.length > 0 && !rule.types.includes(String(item.details.type))) return;
      this.digest.add(index, item);
    });
  }

  private flush(ruleIndex: number, window: DigestWindow): void {
    const rule = this.rules[ruleIndex];
    const counts = new Map(window.counts);
    let items = window.items;
    // New issues under the rule's threshold are not worth a message; anything else in the window still is.
    if ((counts.get('issues_detected') ?? 0) < rule.threshold) {
      counts.delete('issues_detected');
      items = items.filter((i) => i.trigger !== 'issues_detected');
    }
    if (counts.size === 0) return;
    this.notifications.enqueue(ruleIndex, rule.channels, { ...window, counts, items }).catch((error: unknown) => {
      this.logger.error({ message: 'could not queue a notification', rule: ruleIndex, error: (error as Error).message });
    });
  }
}
