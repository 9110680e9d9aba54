export interface RealtimeOptions {
  /** Lifetime of a user token from POST /api/sync/tokens when the caller gives none. */
  userTokenTtlSeconds: number;
  /** Longest lifetime a caller may ask for. */
  maxUserTokenTtlSeconds: number;
  /** Events a socket may have queued unsent (EVENT_QUEUE_SIZE); past it the socket gets replay.gap instead. */
  socketQueueBound: number;
}

export const DEFAULT_REALTIME_OPTIONS: RealtimeOptions = {
  userTokenTtlSeconds: 3600,
  maxUserTokenTtlSeconds: 7 * 24 * 3600,
  socketQueueBound: 1000,
};

export const REALTIME_OPTIONS = Symbol('REALTIME_OPTIONS');
