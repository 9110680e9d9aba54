import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import type { OpsEventData } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { ChannelRegistry } from './channels/channel-registry';
import { DeliveryError } from './channels/notification-channel';
import type { DeliveryDocument } from './notification.types';
import { NotificationsService } from './notifications.service';
import { DeliveryRepository } from './repositories/delivery.repository';

const TICK_MS = 1000;
const BATCH = 20;
const MAX_BACKOFF_MS = 3600_000;

/**
 * Sends what the outbox holds: each due delivery once per tick, retried with exponential
 * backoff until NOTIFY_MAX_ATTEMPTS, then a dead letter (listed by the API, retryable).
 * The outbox is in the state store, so a receiver that is down, or a restart, loses
 * nothing; a delivery cut off by a crash is sent again (receivers drop repeats by id).
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  /** The soonest retry the last tick set up, so a short backoff is not rounded up to a tick. */
  private wakeInMs = TICK_MS;
  private stopped = false;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly channels: ChannelRegistry,
    private readonly notifications: NotificationsService,
    private readonly events: EventPublisher,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.channels.all().length === 0) return;
    this.notifications.onQueued = () => this.kick();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private kick(): void {
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        const next = this.again ? 0 : this.wakeInMs;
        this.again = false;
        this.wakeInMs = TICK_MS;
        this.schedule(next);
      });
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let due: DeliveryDocument[];
    try {
      due = await this.deliveries.due(new Date(), BATCH);
    } catch (error) {
      this.logger.warn({ message: 'notification outbox unreadable (state store down?)', error: (error as Error).message });
      return;
    }
    await Promise.all(due.map((doc) => this.attempt(doc)));
    if (due.length === BATCH) this.again = true;
  }

  private async attempt(doc: DeliveryDocument): Promise<void> {
    const channel = this.channels.get(doc.channel);
    const attempt = doc.attempts + 1;
    const now = new Date();
    if (!channel) {
      await this.finish(
        doc,
        { status: 'dead_letter', attempts: attempt, last_error: `channel ${doc.channel} is no longer configured` },
        'dead_letter',
        attempt,
      );
      return;
    }
    try {
      await channel.send(doc.message, attempt);
      await this.finish(doc, { status: 'delivered', attempts: attempt, delivered_at: new Date().toISOString(), last_error: null }, 'delivered', attempt);
    } catch (error) {
      const e = error instanceof DeliveryError ? error : new DeliveryError((error as Error).message);
      const { maxAttempts, backoffMs } = this.config.notifications;
      if (e.permanent || attempt >= maxAttempts) {
        this.logger.warn({ message: 'notification dead-lettered', delivery: doc.id, channel: doc.channel, attempts: attempt, error: e.message });
        await this.finish(doc, { status: 'dead_letter', attempts: attempt, last_error: e.message }, 'dead_letter', attempt);
        return;
      }
      const wait = Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      const next = new Date(now.getTime() + wait).toISOString();
      this.wakeInMs = Math.min(this.wakeInMs, wait + 5);
      this.logger.log({
        message: 'notification delivery failed, will retry',
        delivery: doc.id,
        channel: doc.channel,
        attempt,
        retryInMs: wait,
        error: e.message,
      });
      await this.finish(doc, { attempts: attempt, next_attempt_at: next, last_error: e.message }, 'retrying', attempt);
    }
  }

  private async finish(
    doc: DeliveryDocument,
    fields: Partial<DeliveryDocument>,
    result: OpsEventData['notification.delivery']['result'],
    attempt: number,
  ): Promise<void> {
    this.events.publishOps('notification.delivery', { channel: doc.channel, kind: doc.kind, result, attempt });
    try {
      await this.deliveries.update(doc.id, { ...fields, updated_at: new Date().toISOString() });
    } catch (error) {
      // Left pending: it is sent again later (at least once, never lost).
      this.logger.warn({ message: 'could not record a delivery attempt', delivery: doc.id, error: (error as Error).message });
    }
  }
}
