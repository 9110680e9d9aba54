import type { SyncEvent } from './events';

/**
 * The `/sync` Socket.IO namespace. Handshake `auth: { token, last_seq? }` with the admin
 * token or a user token; the server replays events after `last_seq` (or sends `replay.gap`).
 */
export const SOCKET_NAMESPACE = '/sync';

export interface SocketAuth {
  token: string;
  /** The last `seq` this client saw: the server replays what came after it. */
  last_seq?: number;
}

export interface SubscribeRequest {
  /** Admins only: every user's events. */
  all?: boolean;
  user_id?: string;
  last_seq?: number;
}

export type SubscribeAck = { ok: true; rooms: string[] } | { ok: false; error: string };

/** Server → client. */
export interface ServerToClientEvents {
  event: (event: SyncEvent) => void;
  /** Several events published in the same turn, in `seq` order. */
  events: (events: SyncEvent[]) => void;
  /** The missed events are older than the replay buffer: refetch what you show. */
  'replay.gap': (gap: { from_seq: number }) => void;
  'subscribe.error': (error: { error: string }) => void;
  /** Sent just before the server disconnects a socket whose user token expired or was revoked. */
  'session.ended': (end: { reason: 'token_expired' | 'token_revoked' }) => void;
}

/** Client → server (each answers with a SubscribeAck). */
export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack?: (ack: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack?: (ack: SubscribeAck) => void) => void;
}
