import { io, type Socket } from 'socket.io-client';
import type { ApiErrorBody, FileCheckResponse, FixRequest, FixResponse, SessionInfo, SyncEvent, UserStatusResponse } from './wire';

/** A refused or failed request, with the API's error body when there was one. */
export class PanelApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PanelApiError';
  }
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveHandlers {
  onEvent(event: SyncEvent): void;
  /** Missed events could not be replayed (or the server restarted): refetch. */
  onGap(): void;
  onState(state: LiveState, detail?: string): void;
}

/**
 * What the panel needs from storesync: a user token's REST routes and its live events.
 * The panel only talks through this, so any client that provides it will do.
 */
export interface SyncPanelClient {
  session(): Promise<SessionInfo>;
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

/** The panel's client over fetch and socket.io-client. */
export function createPanelClient({ token, baseUrl = '' }: PanelClientOptions): SyncPanelClient {
  const root = baseUrl.replace(/\/+$/, '');

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${root}${path}`, {
      method,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    if (response.ok) return (await response.json()) as T;
    let error: Partial<ApiErrorBody> = {};
    try {
      error = (await response.json()) as ApiErrorBody;
    } catch {
      // A proxy page: the status alone says what happened.
    }
    throw new PanelApiError(response.status, error.code, error.message ?? `request failed with status ${response.status}`);
  }

  return {
    session: () => request<SessionInfo>('GET', '/api/sync/me'),
    userStatus: (userId, page = {}) => {
      const query = new URLSearchParams();
      if (page.limit) query.set('limit', String(page.limit));
      if (page.cursor) query.set('cursor', page.cursor);
      const suffix = query.size > 0 ? `?${query.toString()}` : '';
      return request<UserStatusResponse>('GET', `/api/sync/status/${encodeURIComponent(userId)}${suffix}`);
    },
    checkFile: (fileId) => request<FileCheckResponse>('POST', `/api/sync/check/${encodeURIComponent(fileId)}`),
    fix: (body) => request<FixResponse>('POST', '/api/sync/fix', body),
    live: (userId, handlers) => connectLive(root, token, userId, handlers),
  };
}

function connectLive(root: string, token: string, userId: string, handlers: LiveHandlers): () => void {
  let lastSeq: number | null = null;
  let everConnected = false;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const socket: Socket = io(`${root}/sync`, {
    // A function: every reconnection hands over the latest seq, so the server replays the gap.
    auth: (callback) => callback(lastSeq === null ? { token } : { token, last_seq: lastSeq }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    transports: ['websocket', 'polling'],
  });
  handlers.onState('connecting');

  const receive = (event: SyncEvent) => {
    if (typeof event?.seq === 'number') {
      if (lastSeq !== null && event.seq <= lastSeq) return; // replayed twice
      lastSeq = event.seq;
    }
    if (event.user_id === userId) handlers.onEvent(event);
  };
  socket.on('connect', () => {
    handlers.onState('live');
    socket.emit('subscribe', { user_id: userId });
    // Replay covers a short gap; a refetch covers a restarted server (its seq starts again).
    if (everConnected) handlers.onGap();
    everConnected = true;
  });
  socket.on('event', receive);
  socket.on('events', (events: SyncEvent[]) => events.forEach(receive));
  socket.on('replay.gap', () => {
    // The server no longer holds what came after our seq, or restarted and counts from 0 again.
    lastSeq = null;
    handlers.onGap();
  });
  socket.on('disconnect', (reason) => {
    if (closed) return;
    handlers.onState(socket.active ? 'reconnecting' : 'offline', reason);
    // Closed by the server on purpose (a restart): socket.io does not retry by itself.
    if (!socket.active) retryLater();
  });
  socket.on('connect_error', (error) => {
    handlers.onState(socket.active ? 'reconnecting' : 'offline', error.message);
    if (!socket.active) retryLater();
  });
  function retryLater() {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      if (!closed) socket.connect();
    }, 5_000);
  }
  return () => {
    closed = true;
    if (retry) clearTimeout(retry);
    socket.removeAllListeners();
    socket.disconnect();
  };
}
