import type { ClientToServerEvents, ServerToClientEvents, SocketAuth, SubscribeAck, SubscribeRequest, SyncEvent, SyncEventType } from '@storesync/contract';
import { io, type Socket } from 'socket.io-client';
import { resolveToken, type TokenSource } from './http';

/** Whose events: every user's (admin token) or some users' (a user token: its own only). */
export type LiveTarget = { all: true } | { userId: string } | { userIds: string[] };

export interface LiveOptions {
  /** Resume after this seq (e.g. kept from an earlier session): the server replays what came after it. */
  lastSeq?: number;
  /** Socket.IO transports, websocket first by default. */
  transports?: ('websocket' | 'polling')[];
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
  /** After the server refused the connection (bad token, restart), try again after this long. */
  refusedRetryMs?: number;
  /** A handler that throws or rejects: reported here, never breaks the subscription. */
  onHandlerError?: (error: unknown, event: SyncEvent) => void;
}

export type LiveStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

export interface LiveState {
  status: LiveStatus;
  /** Reconnection attempts since the last connection. */
  attempt: number;
  error?: string;
  /** The highest seq delivered, sent as `last_seq` when reconnecting. */
  lastSeq: number | null;
}

type Handler<T> = (value: T) => unknown;
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How many delivered seqs are remembered to drop duplicates (a replay overlapping live events). */
const SEEN_WINDOW = 10_000;

/**
 * One live subscription on `/sync`. Reconnects by itself with `last_seq` so the server replays
 * what was missed; each event is delivered once (duplicates by `seq` are dropped); a burst
 * (`events`) is delivered event by event in `seq` order; `replay.gap` (the missed events are older
 * than the server's buffer, or the server restarted) is reported so the caller can refetch.
 */
export class LiveSubscription {
  /** The underlying Socket.IO socket (for what this class does not cover). */
  readonly socket: ClientSocket;
  private readonly handlers = new Map<SyncEventType | '*', Set<Handler<SyncEvent>>>();
  private readonly gapHandlers = new Set<Handler<{ from_seq: number }>>();
  private readonly stateHandlers = new Set<Handler<LiveState>>();
  private readonly connectHandlers = new Set<Handler<{ reconnected: boolean }>>();
  private readonly seen = new Set<number>();
  private readonly seenOrder: number[] = [];
  private current: LiveState;
  private everConnected = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    connection: { baseUrl: string; token: TokenSource },
    private readonly target: LiveTarget,
    private readonly options: LiveOptions = {},
  ) {
    this.current = { status: 'connecting', attempt: 0, lastSeq: options.lastSeq ?? null };
    this.socket = io(`${connection.baseUrl}/sync`, {
      // A function: each reconnection hands over the latest seq for replay, and a fresh token.
      auth: (callback) => {
        const auth: SocketAuth = { token: resolveToken(connection.token) ?? '' };
        if (this.current.lastSeq !== null) auth.last_seq = this.current.lastSeq;
        callback(auth);
      },
      reconnection: true,
      reconnectionDelay: options.reconnectionDelayMs ?? 1_000,
      reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 10_000,
      transports: options.transports ?? ['websocket', 'polling'],
    });
    this.wire();
  }

  get state(): LiveState {
    return this.current;
  }

  get lastSeq(): number | null {
    return this.current.lastSeq;
  }

  /** Events of one type, with their exact data; returns the function that removes the handler. */
  on<K extends SyncEventType>(type: K, handler: Handler<SyncEvent<K>>): () => void {
    return this.add(type, handler as Handler<SyncEvent>);
  }

  /** Every event. */
  onEvent(handler: Handler<SyncEvent>): () => void {
    return this.add('*', handler);
  }

  /** The server could not replay everything missed: refetch what you show. */
  onGap(handler: Handler<{ from_seq: number }>): () => void {
    this.gapHandlers.add(handler);
    return () => this.gapHandlers.delete(handler);
  }

  /** Connection state changes (connected, reconnecting, offline with the reason). */
  onState(handler: Handler<LiveState>): () => void {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  /** Each (re)connection, after the subscription was sent again. */
  onConnect(handler: Handler<{ reconnected: boolean }>): () => void {
    this.connectHandlers.add(handler);
    return () => this.connectHandlers.delete(handler);
  }

  /** Stops for good: no reconnection, no more handlers called. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket.removeAllListeners();
    this.socket.io.removeAllListeners();
    this.socket.disconnect();
    this.setState({ status: 'closed', attempt: 0, error: undefined });
  }

  private add(key: SyncEventType | '*', handler: Handler<SyncEvent>): () => void {
    let set = this.handlers.get(key);
    if (!set) this.handlers.set(key, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  private wire(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      this.setState({ status: 'connected', attempt: 0, error: undefined });
      for (const request of this.requests()) {
        socket.emit('subscribe', request, (ack: SubscribeAck) => {
          if (!ack.ok) this.setState({ error: ack.error });
        });
      }
      const reconnected = this.everConnected;
      this.everConnected = true;
      this.call(this.connectHandlers, { reconnected });
    });
    socket.on('event', (event) => this.receive(event));
    socket.on('events', (events) => events.forEach((event) => this.receive(event)));
    socket.on('replay.gap', (gap) => {
      // The server restarted (its seq began again) or evicted what we missed: start counting afresh.
      this.seen.clear();
      this.seenOrder.length = 0;
      this.setState({ lastSeq: null });
      this.call(this.gapHandlers, gap);
    });
    socket.on('subscribe.error', ({ error }) => this.setState({ error }));
    // A user token expired or was revoked: the server closes the socket next; reconnecting asks the token source again.
    socket.on('session.ended', ({ reason }) => this.setState({ error: reason }));
    socket.on('disconnect', (reason) => {
      if (this.closed) return;
      this.setState({ status: socket.active ? 'reconnecting' : 'offline', error: reason });
      // The server closed us on purpose: Socket.IO does not retry by itself.
      if (!socket.active) this.retryLater();
    });
    socket.io.on('reconnect_attempt', (attempt) => this.setState({ status: 'reconnecting', attempt }));
    socket.on('connect_error', (error) => {
      if (socket.active) {
        this.setState({ status: 'reconnecting', error: error.message });
        return;
      }
      // Refused by the server (e.g. the token is not valid): try again later, the token may change.
      this.setState({ status: 'offline', error: error.message });
      this.retryLater();
    });
  }

  private requests(): SubscribeRequest[] {
    const lastSeq = this.current.lastSeq ?? undefined;
    const withSeq = (request: SubscribeRequest): SubscribeRequest => (lastSeq === undefined ? request : { ...request, last_seq: lastSeq });
    if ('all' in this.target) return [withSeq({ all: true })];
    const userIds = 'userId' in this.target ? [this.target.userId] : this.target.userIds;
    return userIds.map((userId) => withSeq({ user_id: userId }));
  }

  private receive(event: SyncEvent): void {
    if (this.closed || typeof event?.seq !== 'number') return;
    if (this.seen.has(event.seq)) return;
    this.seen.add(event.seq);
    this.seenOrder.push(event.seq);
    if (this.seenOrder.length > SEEN_WINDOW) this.seen.delete(this.seenOrder.shift()!);
    if (this.current.lastSeq === null || event.seq > this.current.lastSeq) this.current = { ...this.current, lastSeq: event.seq };
    for (const key of [event.type, '*'] as const) {
      for (const handler of this.handlers.get(key) ?? []) this.callOne(handler, event, event);
    }
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.socket.connect();
    }, this.options.refusedRetryMs ?? 5_000);
  }

  private setState(patch: Partial<LiveState>): void {
    this.current = { ...this.current, ...patch };
    this.call(this.stateHandlers, this.current);
  }

  private call<T>(handlers: Set<Handler<T>>, value: T): void {
    for (const handler of handlers) this.callOne(handler, value);
  }

  private callOne<T>(handler: Handler<T>, value: T, event?: SyncEvent): void {
    const report = (error: unknown) => {
      if (this.options.onHandlerError && event) this.options.onHandlerError(error, event);
    };
    try {
      const result = handler(value);
      if (result instanceof Promise) result.catch(report);
    } catch (error) {
      report(error);
    }
  }
}
