import { createClient, StoreSyncError, type LiveStatus } from '@storesync/client';
import type { FileCheckResponse, FixRequest, FixResponse, SessionResponse, SyncEvent, UserStatusResponse } from './wire';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveHandlers {
  onEvent(event: SyncEvent): void;
  /** Missed events could not be replayed (or the server restarted): refetch. */
  onGap(): void;
  onState(state: LiveState, detail?: string): void;
}

/**
 * What the panel needs from storesync: a user token's REST routes and its live events.
 * The panel talks only through this, so tests or a proxy may hand it another implementation.
 */
export interface SyncPanelClient {
  session(): Promise<SessionResponse>;
  userStatus(userId: string, page?: { limit?: number; cursor?: string }): Promise<UserStatusResponse>;
  checkFile(fileId: string): Promise<FileCheckResponse>;
  fix(request: FixRequest): Promise<FixResponse>;
  /** Live events of one user, resumed after reconnects with replay; returns the stop function. */
  live(userId: string, handlers: LiveHandlers): () => void;
}

export interface PanelClientOptions {
  token: string;
  /** Where storesync answers, e.g. `https://sync.example.com`; '' for the page's own origin. */
  baseUrl?: string;
}

const LIVE_STATE: Record<LiveStatus, LiveState> = {
  connecting: 'connecting',
  connected: 'live',
  reconnecting: 'reconnecting',
  offline: 'offline',
  closed: 'offline',
};

/** The panel's client: @storesync/client (typed REST, a live subscription that replays what it missed). */
export function createPanelClient({ token, baseUrl = '' }: PanelClientOptions): SyncPanelClient {
  const client = createClient({ baseUrl, token });
  return {
    session: () => client.me(),
    userStatus: (userId, page = {}) => client.userStatus(userId, page),
    checkFile: (fileId) => client.checkFile(fileId),
    fix: (request) => client.fix(request),
    live: (userId, handlers) => {
      const subscription = client.live({ userId });
      subscription.onEvent((event) => {
        // A user token receives only its own user's events; an admin token viewing one user too.
        if (event.user_id === userId) handlers.onEvent(event);
      });
      subscription.onGap(() => handlers.onGap());
      // Replay covers a short gap; a refetch also covers a restarted server (its seq starts again).
      subscription.onConnect(({ reconnected }) => {
        if (reconnected) handlers.onGap();
      });
      subscription.onState((state) => handlers.onState(LIVE_STATE[state.status], state.error));
      handlers.onState(LIVE_STATE[subscription.state.status]);
      return () => subscription.close();
    },
  };
}

/** The HTTP status of a failed call, when storesync answered. */
export function statusOf(error: unknown): number | null {
  if (error instanceof StoreSyncError) return error.status;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}
