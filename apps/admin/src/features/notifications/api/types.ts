import type { DeliveriesQuery, NotificationChannel, NotificationDelivery } from '@storesync/contract';

export type { DeliveryStatus } from '@storesync/contract';
/** `GET /api/notifications/channels`: one channel, without secrets. */
export type NotificationChannelView = NotificationChannel;
/** One entry of the delivery log. */
export type Delivery = NotificationDelivery;
export type DeliveryFilter = Pick<DeliveriesQuery, 'status' | 'channel'>;
