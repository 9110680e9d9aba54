'use client';

import type { QueryClient } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';
import { apiRequest } from '@/lib/api/client';
import type { SyncEvent } from '@storesync/contract';
import { CacheSync } from './cache-sync';
import { connectionStore, pushFeedEvent } from './connection';

// The one owner of the Socket.IO connection. Everything else reads the stores in
// ./connection or the React Query cache this module keeps fresh.

const REFUSED_RETRY_MS = 5_000;

/**
 * Connects to the `/sync` namespace as admin, subscribes to every user, and keeps the
 * query cache in step with pushed events. Returns the disconnect function.
 */
export function connectSync(token: string, queryClient: QueryClient): () => void {
  const cacheSync = new CacheSync(queryClient);
  let lastSeq: number | null = connectionStore.get().last_seq;
  let everConnected = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const setState = (patch: Partial<ReturnType<typeof connectionStore.get>>) =>
    connectionStore.set((state) => ({ ...state, since: Date.now(), ...patch }));

  const socket: Socket = io('/sync', {
    // A function, so each reconnection hands over the latest seq for replay.
    auth: (callback) => callback(lastSeq === null ? { token } : { token, last_seq: lastSeq }),
    reconnection: true,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 10_000,
    transports: ['websocket', 'polling'],
  });
  setState({ status: 'connecting', attempt: 0, error: undefined });

  const retryLater = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!closed) socket.connect();
    }, REFUSED_RETRY_MS);
  };

  socket.on('connect', () => {
    setState({ status: 'connected', attempt: 0, error: undefined });
    socket.emit('subscribe', { all: true });
    // Replay covers the gap when it can; a refetch covers a restarted server too.
    if (everConnected) cacheSync.invalidateAll();
    everConnected = true;
  });

  const receive = (event: SyncEvent) => {
    if (typeof event?.seq === 'number') {
      if (lastSeq !== null && event.seq <= lastSeq) return; // replayed twice
      lastSeq = event.seq;
      connectionStore.set((state) => ({ ...state, last_seq: event.seq }));
    }
    pushFeedEvent(event);
    cacheSync.apply(event);
  };
  socket.on('event', receive);
  // A burst arrives as one frame, in seq order.
  socket.on('events', (events: SyncEvent[]) => events.forEach(receive));

  socket.on('replay.gap', () => cacheSync.invalidateAll());

  socket.on('disconnect', (reason) => {
    if (closed) return;
    setState({ status: socket.active ? 'reconnecting' : 'offline', error: reason });
    // The server closed us on purpose (e.g. restart): the client does not retry by itself.
    if (!socket.active) retryLater();
  });

  socket.io.on('reconnect_attempt', (attempt) => setState({ status: 'reconnecting', attempt }));

  socket.on('connect_error', (error) => {
    if (socket.active) {
      setState({ status: 'reconnecting', error: error.message });
      return;
    }
    // Refused by the server's middleware: if the token no longer works, the HTTP client's
    // 401 handling returns to login; anything else is retried.
    setState({ status: 'offline', error: error.message });
    apiRequest('/api/sync/runs', { query: { limit: 1 } }).catch(() => undefined);
    retryLater();
  });

  return () => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    cacheSync.dispose();
    socket.removeAllListeners();
    socket.io.removeAllListeners();
    socket.disconnect();
    setState({ status: 'idle', attempt: 0, error: undefined });
  };
}
