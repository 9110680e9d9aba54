import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, NotifyTrigger } from '@storesync/config';
import { DomainError } from '@storesync/core';
import { ChannelRegistry } from './channels/channel-registry';
import type { DeliveryDocument, DeliveryStatus, NotificationItem, NotificationMessage } from './notification.types';
import { DeliveryRepository } from './repositories/delivery.repository';
import type { DigestWindow } from './rules/digest-buffer';

export class ChannelNotFoundError extends DomainError {
  constructor(readonly channel: string) {
    super('channel_not_found', `no notification channel named ${channel}`);
  }
}

export class DeliveryNotFoundError extends DomainError {
  constructor(readonly deliveryId: string) {
    super('delivery_not_found', `no delivery ${deliveryId}`);
  }
}

export class DeliveryNotDeadError extends DomainError {
  constructor(
    readonly deliveryId: string,
    readonly status: DeliveryStatus,
  ) {
    super('not_dead_letter', `delivery ${deliveryId} is ${status}: only a dead letter can be retried`);
  }
}

export interface ChannelView {
  name: string;
  kind: string;
  target: string;
  rules: { index: number; on: NotifyTrigger[]; threshold: number; types: string[] }[];
}

const TITLES: Record<NotifyTrigger, string> = {
  issues_detected: 'new issues',
  store_down: 'store down',
  partial_run: 'partial run',
  circuit_breaker: 'circuit breaker tripped',
  repair_failed: 'repair failed',
};

/** The outbox's front: messages in (one per channel), the delivery log and dead letters out. */
@Injectable()
export class NotificationsService {
  /** Called when something was queued, so the worker need not wait for its next tick. */
  onQueued?: () => void;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly channels: ChannelRegistry,
    private readonly config: AppConfig,
  ) {}

  channelViews(): ChannelView[] {
    return this.channels.all().map((c) => ({
      name: c.name,
      kind: c.kind,
      target: c.target,
      rules: this.config.notifications.rules
        .map((rule, index) => ({ index, on: rule.on, threshold: rule.threshold, types: rule.types, channels: rule.channels }))
        .filter((rule) => rule.channels.includes(c.name))
        .map(({ channels: _channels, ...rule }) => rule),
    }));
  }

  /** One message for the window, one delivery of it per channel, persisted before anything is sent. */
  async enqueue(rule: number, channelNames: string[], window: DigestWindow, subjectOverride?: string): Promise<DeliveryDocument[]> {
    const now = new Date().toISOString();
    const counts = Object.fromEntries(window.counts) as NotificationMessage['counts'];
    const subject =
      subjectOverride ??
      Object.entries(counts)
        .map(([trigger, n]) => `${n} ${TITLES[trigger as NotifyTrigger]}`)
        .join(', ');
    const docs = channelNames
      .map((name) => this.channels.get(name))
      .filter((c) => c !== undefined)
      .map((channel): DeliveryDocument => {
        const id = randomUUID();
        return {
          id,
          channel: channel.name,
          kind: channel.kind,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          created_at: now,
          updated_at: now,
          delivered_at: null,
          message: {
            id,
            rule,
            subject,
            text: describe(window.items, counts),
            counts,
            items: window.items,
            window: { from: window.from, to: window.to },
            created_at: now,
          },
        };
      });
    await this.deliveries.insert(docs);
    this.onQueued?.();
    return docs;
  }

  /** A test message to one channel, through the outbox like any other. */
  async test(channelName: string): Promise<DeliveryDocument> {
    if (!this.channels.get(channelName)) throw new ChannelNotFoundError(channelName);
    const at = new Date().toISOString();
    const item: NotificationItem = { trigger: 'issues_detected', at, summary: 'a test message from storesync: this channel works', details: { test: true } };
    const [doc] = await this.enqueue(-1, [channelName], { from: at, to: at, counts: new Map(), items: [item] }, 'test message');
    return doc;
  }

  list(filter: { status?: DeliveryStatus; channel?: string }, limit: number): Promise<DeliveryDocument[]> {
    return this.deliveries.list(filter, limit);
  }

  /** A dead letter back in the outbox, its attempts counted from zero again. */
  async retry(id: string): Promise<DeliveryDocument> {
    const doc = await this.deliveries.get(id);
    if (!doc) throw new DeliveryNotFoundError(id);
    if (doc.status !== 'dead_letter') throw new DeliveryNotDeadError(id, doc.status);
    const now = new Date().toISOString();
    const fields = { status: 'pending' as const, attempts: 0, next_attempt_at: now, updated_at: now };
    await this.deliveries.update(id, fields);
    this.onQueued?.();
    return { ...doc, ...fields };
  }
}

function describe(items: NotificationItem[], counts: NotificationMessage['counts']): string {
  const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  const lines = items.map((i) => `- ${i.summary}`);
  if (total > items.length) lines.push(`…and ${total - items.length} more`);
  return lines.join('\n');
}
