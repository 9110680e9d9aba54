'use client';

import { useQuery } from '@tanstack/react-query';
import { syncKeys } from '@/lib/query-keys';
import { fetchChannels, fetchDeliveries } from './service';
import type { DeliveryFilter } from './types';

export const notificationKeys = {
  all: [...syncKeys.all, 'notifications'] as const,
  channels: () => [...notificationKeys.all, 'channels'] as const,
  deliveries: (filter: DeliveryFilter) => [...notificationKeys.all, 'deliveries', filter] as const,
};

export function useChannels() {
  return useQuery({ queryKey: notificationKeys.channels(), queryFn: ({ signal }) => fetchChannels(signal) });
}

/** Deliveries change without an event on the socket (retries in the background): polled. */
export function useDeliveries(filter: DeliveryFilter) {
  return useQuery({ queryKey: notificationKeys.deliveries(filter), queryFn: ({ signal }) => fetchDeliveries(filter, signal), refetchInterval: 5000 });
}
