import type { NotificationMessage } from '../notification.types';
import { NotificationChannel, postJson, redactUrl } from './notification-channel';

/** A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat…): `{ text }` in mrkdwn. */
export class SlackChannel extends NotificationChannel {
  readonly kind = 'slack' as const;
  readonly target: string;

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {
    super();
    this.target = redactUrl(url);
  }

  async send(message: NotificationMessage): Promise<void> {
    await postJson(this.url, JSON.stringify({ text: `*${message.subject}*\n${message.text}` }), {}, this.timeoutMs);
  }
}
