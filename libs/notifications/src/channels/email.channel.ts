import { createTransport, Transporter } from 'nodemailer';
import type { NotificationMessage } from '../notification.types';
import { DeliveryError, NotificationChannel } from './notification-channel';

/** Email over SMTP (nodemailer); a 5xx reply to the message is permanent, anything else is retried. */
export class EmailChannel extends NotificationChannel {
  readonly kind = 'email' as const;
  readonly target: string;
  private readonly transport: Transporter;

  constructor(
    readonly name: string,
    smtpUrl: string,
    private readonly from: string,
    private readonly to: string[],
    timeoutMs: number,
  ) {
    super();
    const url = new URL(smtpUrl);
    this.target = `${url.protocol}//${url.host} → ${to.join(', ')}`;
    this.transport = createTransport({
      url: smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    } as Parameters<typeof createTransport>[0]) as Transporter;
  }

  async send(message: NotificationMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to: this.to,
        subject: `[storesync] ${message.subject}`,
        text: message.text,
        headers: { 'X-Storesync-Delivery': message.id },
      });
    } catch (error) {
      const e = error as { message: string; responseCode?: number };
      throw new DeliveryError(`smtp: ${e.message}`, e.responseCode !== undefined && e.responseCode >= 500);
    }
  }

  override async close(): Promise<void> {
    this.transport.close();
  }
}
