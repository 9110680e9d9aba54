/** `GET /api/notifications/channels`. */
export interface NotificationChannelView {
  name: string;
  kind: 'webhook' | 'slack' | 'email';
  target: string;
  rules: { index: number; on: string[]; threshold: number; types: string[] }[];
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead_letter';

/** One entry of the delivery log. */
export interface Delivery {
  id: string;
  channel: string;
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  message: { subject: string; text: string; counts: Record<string, number> };
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  channel?: string;
}
