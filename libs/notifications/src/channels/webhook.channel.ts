import type { NotificationMessage } from '../notification.types';
import { NotificationChannel, postJson, redactUrl } from './notification-channel';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';

/** The message as JSON, signed with the channel's secret (HMAC-SHA256 over timestamp and body). */
export class WebhookChannel extends NotificationChannel {
  readonly kind = 'webhook' as const;
  readonly target: string;

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {
    super();
    this.target = redactUrl(url);
  }

  async send(message: NotificationMessage, attempt: number): Promise<void> {
    const body = JSON.stringify(message);
    const timestamp = Math.floor(Date.now() / 1000);
    await postJson(
      this.url,
      body,
      {
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(this.secret, timestamp, body),
        'x-storesync-delivery': message.id,
        'x-storesync-attempt': String(attempt),
      },
      this.timeoutMs,
    );
  }
}
