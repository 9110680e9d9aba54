'use client';

import type { QueryClient } from '@tanstack/react-query';
import type { LiveState } from '@storesync/client';
import { api } from '@/lib/api/client';
import { CacheSync } from './cache-sync';
import { connectionStore, pushFeedEvent, type ConnectionStatus } from './connection';

// The one owner of the live connection. The protocol (reconnect with last_seq, replay,
// de-duplication by seq, bursts, replay.gap) is @storesync/client's; this module maps it onto
// the connection store and keeps the React Query cache in step with pushed events.

const REFUSED_RETRY_MS = 5_000;

/**
 * Subscribes to every user's events as admin (the session's token, which `api` reads) and
 * keeps the query cache fresh. Returns the disconnect function.
 */
export function connectSync(queryClient: QueryClient): () => void {
  const cacheSync = new CacheSync(queryClient);
  const live = api.live(
    { all: true },
    {
      lastSeq: connectionStore.get().last_seq ?? undefined,
      reconnectionDelayMs: 1_000,
      reconnectionDelayMaxMs: 10_000,
      refusedRetryMs: REFUSED_RETRY_MS,
    },
  );
  let wasOffline = false;

  const show = (state: LiveState) => {
    const status: ConnectionStatus = state.status === 'closed' ? 'idle' : state.status;
    connectionStore.set((current) => ({ ...current, since: Date.now(), status, attempt: state.attempt, error: state.error }));
    // Refused by the server: if the token no longer works, the HTTP client's 401 handling
    // returns to login; anything else is retried by the subscription.
    if (status === 'offline' && !wasOffline) api.runs({ limit: 1 }).catch(() => undefined);
    wasOffline = status === 'offline';
  };
  show(live.state);
  live.onState(show);

  live.onEvent((event) => {
    connectionStore.set((state) => ({ ...state, last_seq: live.lastSeq }));
    pushFeedEvent(event);
    cacheSync.apply(event);
  });
  // Replay covers the gap when it can; a refetch covers a restarted server too.
  live.onConnect(({ reconnected }) => {
    if (reconnected) cacheSync.invalidateAll();
  });
  live.onGap(() => cacheSync.invalidateAll());

  return () => {
    live.close();
    cacheSync.dispose();
    connectionStore.set((state) => ({ ...state, since: Date.now(), status: 'idle', attempt: 0, error: undefined }));
  };
}
