import { api } from '@/lib/api/client';
import type { Delivery, DeliveryFilter, NotificationChannelView } from './types';

export function fetchChannels(signal?: AbortSignal): Promise<{ channels: NotificationChannelView[] }> {
  return api.notificationChannels({ signal });
}

export function fetchDeliveries(filter: DeliveryFilter, signal?: AbortSignal): Promise<{ deliveries: Delivery[] }> {
  return api.deliveries({ ...filter, limit: 100 }, { signal });
}

export function retryDelivery(id: string): Promise<Delivery> {
  return api.retryDelivery(id);
}

export function sendTest(channel: string): Promise<Delivery> {
  return api.testNotification(channel);
}
