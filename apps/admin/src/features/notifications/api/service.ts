import { apiRequest } from '@/lib/api/client';
import type { Delivery, DeliveryFilter, NotificationChannelView } from './types';

export function fetchChannels(signal?: AbortSignal): Promise<{ channels: NotificationChannelView[] }> {
  return apiRequest('/api/notifications/channels', { signal });
}

export function fetchDeliveries(filter: DeliveryFilter, signal?: AbortSignal): Promise<{ deliveries: Delivery[] }> {
  return apiRequest('/api/notifications/deliveries', { query: { ...filter, limit: 100 }, signal });
}

export function retryDelivery(id: string): Promise<Delivery> {
  return apiRequest(`/api/notifications/deliveries/${encodeURIComponent(id)}/retry`, { method: 'POST' });
}

export function sendTest(channel: string): Promise<Delivery> {
  return apiRequest('/api/notifications/test', { method: 'POST', body: { channel } });
}
