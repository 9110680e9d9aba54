import type { NotifyTrigger } from '@storesync/config';

/** One thing that happened, as a rule collects it. */
export interface NotificationItem {
  trigger: NotifyTrigger;
  at: string;
  /** One line a person reads. */
  summary: string;
  details: Record<string, unknown>;
}

/** What a channel sends: one message per rule and digest window, however many items. */
export interface NotificationMessage {
  /** The delivery id (also X-Storesync-Delivery): receivers drop a repeat by it. */
  id: string;
  rule: number;
  subject: string;
  text: string;
  counts: Partial<Record<NotifyTrigger, number>>;
  /** The first items of the window (all counted in `counts`). */
  items: NotificationItem[];
  window: { from: string; to: string };
  created_at: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead_letter';

/** One message to one channel, kept until delivered or dead-lettered (and after, as the delivery log). */
export interface DeliveryDocument {
  id: string;
  channel: string;
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  message: NotificationMessage;
}
