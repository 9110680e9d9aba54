'use client';

import { createExternalStore, useExternalStore } from '@/lib/external-store';
import type { SyncEvent } from '@storesync/contract';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Reconnection attempt number while `reconnecting`. */
  attempt: number;
  since: number;
  error?: string;
  last_seq: number | null;
}

/** Without a live socket every panel falls back to polling at this interval. */
export const FALLBACK_REFRESH_MS = 30_000;
// With a live socket, a slow safety net for events dropped by a full server queue.
const LIVE_SAFETY_REFRESH_MS = 120_000;
const FEED_LENGTH = 100;

export const connectionStore = createExternalStore<ConnectionState>({
  status: 'idle',
  attempt: 0,
  since: 0,
  last_seq: null,
});

/** The latest pushed events, newest first. */
export const eventFeedStore = createExternalStore<SyncEvent[]>([]);

export function pushFeedEvent(event: SyncEvent): void {
  eventFeedStore.set((events) => [event, ...events].slice(0, FEED_LENGTH));
}

const idle: ConnectionState = { status: 'idle', attempt: 0, since: 0, last_seq: null };

export function useConnectionState(): ConnectionState {
  return useExternalStore(connectionStore, idle);
}

export function useEventFeed(): SyncEvent[] {
  return useExternalStore(eventFeedStore, []);
}

export function useFallbackRefetchInterval(): number {
  return useConnectionState().status === 'connected' ? LIVE_SAFETY_REFRESH_MS : FALLBACK_REFRESH_MS;
}
