import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { USER_ID_PATTERN } from '@storesync/core';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck, SubscribeRequest } from '@storesync/contract';
import type { Namespace as IoNamespace, Socket as IoSocket } from 'socket.io';
import { TokenRevocations, tokenDigest } from '../auth/token-revocations';
import { SocketPrincipal, UserTokenService } from '../auth/user-token.service';
import { REALTIME_OPTIONS, RealtimeOptions } from '../realtime.options';
import { EventStreamService } from '../bus/event-stream.service';
import type { PublishedEvent } from '../realtime.types';

const ALL_ROOM = 'all';
/** Events held for the next turn of the event loop at most; a burst past it goes out at once. */
export const OUTBOX_BOUND = 500;
const userRoom = (userId: string) => `user:${userId}`;

interface SocketState {
  principal: SocketPrincipal;
  /** From the handshake: replayed once the socket has a subscription. */
  lastSeq?: number;
  /** SHA-256 of a user token, to find the socket when the token is revoked. */
  tokenDigest?: string;
  /** Events handed to the transport since it last drained (what a stalled client has queued). */
  queued: number;
  /** The first seq a stalled socket was not sent: its replay.gap once it drains. */
  gapFrom?: number;
}

type Namespace = IoNamespace<ClientToServerEvents, ServerToClientEvents>;
type Socket = IoSocket<ClientToServerEvents, ServerToClientEvents>;
type Ack = SubscribeAck;

/**
 * Pushes published events to Socket.IO rooms keyed by user (`/sync`). Handshake
 * `auth.token`: the admin token (may subscribe to all or any user) or a user token
 * (its own user's room only); anything else is refused before the connection opens.
 * `auth.last_seq` replays what the client missed, or sends `replay.gap`.
 */
// Origins are checked by SyncIoAdapter (SOCKET_ALLOWED_ORIGINS).
@WebSocketGateway({ namespace: '/sync' })
export class SyncGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(SyncGateway.name);
  private namespace?: Namespace;
  private unsubscribe?: () => void;
  private readonly outbox: PublishedEvent[] = [];
  private stopRevocations?: () => void;

  constructor(
    private readonly stream: EventStreamService,
    private readonly tokens: UserTokenService,
    private readonly revocations: TokenRevocations,
    @Inject(REALTIME_OPTIONS) private readonly options: RealtimeOptions,
  ) {}

  afterInit(namespace: Namespace): void {
    // Transport (ping interval, the Redis fan-out across instances) is SyncIoAdapter's, installed at bootstrap.
    this.namespace = namespace;
    namespace.use((socket, next) => {
      const principal = this.tokens.principal(socket.handshake.auth?.token);
      if (!principal) {
        this.logger.warn({ message: 'socket refused', reason: 'absent, forged or expired token', address: socket.handshake.address });
        return next(new Error('unauthorized: a valid admin or user token is required in auth.token'));
      }
      const raw: unknown = socket.handshake.auth?.last_seq;
      const lastSeq = raw === undefined || raw === null || raw === '' ? NaN : Number(raw);
      const token = socket.handshake.auth?.token as string;
      socket.data = {
        principal,
        queued: 0,
        ...(principal.role === 'user' ? { tokenDigest: tokenDigest(token) } : {}),
        ...(Number.isInteger(lastSeq) && lastSeq >= 0 ? { lastSeq } : {}),
      } satisfies SocketState;
      next();
    });
    this.unsubscribe = this.stream.subscribe((event) => this.push(event));
    this.stopRevocations = this.revocations.onRevoked((digest) => {
      for (const socket of namespace.sockets.values()) {
        if ((socket.data as SocketState).tokenDigest === digest) this.endSession(socket, 'token_revoked');
      }
    });
  }

  handleConnection(socket: Socket): void {
    const state = socket.data as SocketState | undefined;
    if (!state?.principal) {
      socket.disconnect(true);
      return;
    }
    this.watchQueue(socket, state);
    if (state.principal.role === 'user') {
      const userId = state.principal.userId;
      this.expireAt(socket, state.principal.expiresAt);
      // Joining and replaying in one tick: no event can fall between the two.
      void socket.join(userRoom(userId));
      this.replay(socket, (e) => e.user_id === userId);
    }
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: SubscribeRequest | undefined): Ack {
    const state = socket.data as SocketState;
    const request = body ?? {};
    if (request.last_seq !== undefined && Number.isInteger(request.last_seq) && request.last_seq >= 0) state.lastSeq = request.last_seq;
    if (request.all === true) {
      if (state.principal.role !== 'admin') return this.refuse(socket, 'only the admin token may subscribe to all users');
      void socket.join(ALL_ROOM);
      this.replay(socket, () => true);
      return { ok: true, rooms: this.roomsOf(socket) };
    }
    if (typeof request.user_id !== 'string' || !USER_ID_PATTERN.test(request.user_id)) {
      return this.refuse(socket, 'subscribe needs { user_id } or { all: true }');
    }
    const userId = request.user_id;
    if (state.principal.role === 'user' && state.principal.userId !== userId) {
      return this.refuse(socket, "a user token may subscribe only to its own user's events");
    }
    if (!socket.rooms.has(userRoom(userId))) {
      void socket.join(userRoom(userId));
      if (!socket.rooms.has(ALL_ROOM)) this.replay(socket, (e) => e.user_id === userId);
    }
    return { ok: true, rooms: this.roomsOf(socket) };
  }

  @SubscribeMessage('unsubscribe')
  unsubscribeRoom(@ConnectedSocket() socket: Socket, @MessageBody() body: SubscribeRequest | undefined): Ack {
    const state = socket.data as SocketState;
    if (body?.all === true) void socket.leave(ALL_ROOM);
    // A user's own room is its identity, not a subscription: it stays.
    else if (typeof body?.user_id === 'string' && state.principal.role === 'admin') void socket.leave(userRoom(body.user_id));
    return { ok: true, rooms: this.roomsOf(socket) };
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.stopRevocations?.();
  }

  /** A user token's socket lasts as long as the token: disconnected at its expiry. */
  private expireAt(socket: Socket, expiresAt: Date | undefined): void {
    if (!expiresAt) return;
    // setTimeout holds at most ~24.8 days; tokens live at most 7.
    const timer = setTimeout(() => this.endSession(socket, 'token_expired'), Math.max(0, expiresAt.getTime() - Date.now()));
    timer.unref();
    socket.once('disconnect', () => clearTimeout(timer));
  }

  private endSession(socket: Socket, reason: 'token_expired' | 'token_revoked'): void {
    this.logger.log({ message: 'socket disconnected', reason, socket: socket.id });
    socket.emit('session.ended', { reason });
    socket.disconnect(true);
  }

  /**
   * The transport drains when the client has taken everything handed to it; until then the
   * socket's count grows. A stalled socket is skipped past socketQueueBound events and gets
   * replay.gap (from the first seq it missed) when it drains, instead of an unbounded queue.
   */
  private watchQueue(socket: Socket, state: SocketState): void {
    socket.conn.on('drain', () => {
      state.queued = 0;
      if (state.gapFrom !== undefined) {
        const fromSeq = state.gapFrom;
        state.gapFrom = undefined;
        this.logger.warn({ message: 'stalled socket drained: replay.gap sent', socket: socket.id, fromSeq });
        socket.emit('replay.gap', { from_seq: fromSeq });
      }
    });
  }

  /** Local sockets in `rooms` that cannot take `count` more events; each is marked for its gap. */
  private stalledIn(rooms: string[], count: number, firstSeq: number): string[] {
    if (!this.namespace) return [];
    const stalled: string[] = [];
    const seen = new Set<string>();
    for (const room of rooms) {
      for (const id of this.namespace.adapter.rooms.get(room) ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        const socket = this.namespace.sockets.get(id);
        if (!socket) continue;
        const state = socket.data as SocketState;
        // An empty queue always takes the next frame, however large the burst.
        if (state.gapFrom !== undefined || (state.queued > 0 && state.queued + count > this.options.socketQueueBound)) {
          if (state.gapFrom === undefined) {
            state.gapFrom = firstSeq;
            this.logger.warn({
              message: 'socket stalled: events skipped until it drains',
              socket: id,
              queued: state.queued,
              bound: this.options.socketQueueBound,
            });
          }
          stalled.push(id);
        } else {
          state.queued += count;
        }
      }
    }
    return stalled;
  }

  /**
   * Events published in the same turn of the event loop go out together: one frame per
   * run of events for the same rooms ('events', an array) instead of one per event, so
   * a burst costs each socket a few writes. Runs are sent in seq order.
   */
  private push(event: PublishedEvent): void {
    if (!this.namespace) return;
    this.outbox.push(event);
    // A producer that never yields (a plan executed on the embedded stores) would otherwise
    // keep every event it publishes here until it ends: past a bound, send what is waiting now.
    if (this.outbox.length >= OUTBOX_BOUND) this.flush();
    else if (this.outbox.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const events = this.outbox.splice(0);
    if (!this.namespace) return;
    for (let start = 0; start < events.length;) {
      const owner = events[start].user_id;
      let end = start + 1;
      while (end < events.length && events[end].user_id === owner) end++;
      const rooms = owner ? [ALL_ROOM, userRoom(owner)] : [ALL_ROOM];
      const stalled = this.stalledIn(rooms, end - start, events[start].seq);
      // One emit to several rooms reaches a socket once even when it is in both.
      const target = stalled.length > 0 ? this.namespace.to(rooms).except(stalled) : this.namespace.to(rooms);
      if (end - start === 1) target.emit('event', events[start]);
      else target.emit('events', events.slice(start, end));
      start = end;
    }
  }

  private replay(socket: Socket, visible: (event: PublishedEvent) => boolean): void {
    const state = socket.data as SocketState;
    if (state.lastSeq === undefined) return;
    const result = this.stream.since(state.lastSeq);
    if (result.kind === 'gap') socket.emit('replay.gap', { from_seq: result.fromSeq });
    for (const event of result.events) if (visible(event)) socket.emit('event', event);
  }

  private refuse(socket: Socket, error: string): Ack {
    socket.emit('subscribe.error', { error });
    return { ok: false, error };
  }

  private roomsOf(socket: Socket): string[] {
    return [...socket.rooms].filter((room) => room !== socket.id).sort();
  }
}
