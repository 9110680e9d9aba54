import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { EmailChannel } from './email.channel';
import { NotificationChannel } from './notification-channel';
import { SlackChannel } from './slack.channel';
import { WebhookChannel } from './webhook.channel';

/** The configured channels by name (NOTIFY_CHANNELS), built once. */
@Injectable()
export class ChannelRegistry implements OnApplicationShutdown {
  private readonly channels = new Map<string, NotificationChannel>();

  constructor(config: AppConfig) {
    const { timeoutMs } = config.notifications;
    for (const c of config.notifications.channels) {
      const channel =
        c.kind === 'webhook'
          ? new WebhookChannel(c.name, c.url, c.secret, timeoutMs)
          : c.kind === 'slack'
            ? new SlackChannel(c.name, c.url, timeoutMs)
            : new EmailChannel(c.name, c.smtpUrl, c.from, c.to, timeoutMs);
      this.channels.set(c.name, channel);
    }
  }

  get(name: string): NotificationChannel | undefined {
    return this.channels.get(name);
  }

  all(): NotificationChannel[] {
    return [...this.channels.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.all().map((c) => c.close()));
  }
}
