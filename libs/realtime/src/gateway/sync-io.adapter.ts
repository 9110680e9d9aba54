import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { AppConfig } from '@storesync/config';
import { Redis } from 'ioredis';
import type { IncomingMessage } from 'node:http';

// The Server and options of the socket.io copy Nest's adapter is built on (it may not be the top-level one).
type IoServer = ReturnType<IoAdapter['createIOServer']>;
type IoServerOptions = NonNullable<Parameters<IoAdapter['createIOServer']>[1]>;

/**
 * The Socket.IO transport, installed at bootstrap (`app.useWebSocketAdapter`): the ping
 * interval from config and, with REDIS_URL, the Redis fan-out that lets several instances
 * deliver each other's events. The gateway only pushes and never sees this wiring.
 */
export class SyncIoAdapter extends IoAdapter {
  private readonly log = new Logger(SyncIoAdapter.name);
  private redis: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    const allowed = originPolicy(this.config.hardening.socketAllowedOrigins);
    const server = super.createIOServer(port, {
      ...options,
      pingInterval: this.config.websocket.pingIntervalSeconds * 1000,
      // CORS covers polling; allowRequest covers the WebSocket upgrade too (browsers send Origin on both).
      cors: {
        origin: (origin: string | undefined, done: (error: Error | null, allow?: boolean) => void) => done(null, origin === undefined || allowed(origin)),
      },
      allowRequest: (req: IncomingMessage, done: (error: string | null | undefined, success: boolean) => void) => {
        const origin = req.headers.origin;
        const ok = origin === undefined || allowed(origin, req.headers.host);
        if (!ok) this.log.warn({ message: 'socket refused', reason: 'origin not allowed (SOCKET_ALLOWED_ORIGINS)', origin });
        done(ok ? null : 'origin not allowed', ok);
      },
    } as IoServerOptions);
    if (this.config.redisUrl && this.redis.length === 0) {
      // Instances serving the same bucket and collection share events; other deployments on the Redis do not.
      this.useRedis(server, this.config.redisUrl, `storesync:${this.config.s3Bucket}:${this.config.qdrantCollection}`);
    }
    return server;
  }

  /** After Nest closed the Socket.IO servers: their adapters unsubscribe through these clients first. */
  override async dispose(): Promise<void> {
    await Promise.allSettled(this.redis.map((client) => client.quit()));
    this.redis = [];
  }

  /**
   * The clients connect first: an adapter on a Redis that is down rejects in the background
   * and would end the process. Without Redis the instance still serves its own clients, and says so.
   */
  private useRedis(server: IoServer, url: string, key: string): void {
    const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      client.on('error', (error: Error) => this.log.warn({ message: 'redis adapter connection error', error: error.message }));
    }
    this.redis = [pub, sub];
    Promise.all([pub.connect(), sub.connect()]).then(
      () => {
        // The redis adapter is typed against the top-level socket.io; both copies share the adapter protocol.
        server.adapter(createAdapter(pub, sub, { key }) as never);
        this.log.log({ message: 'socket.io redis adapter on', key });
      },
      (error: Error) => {
        this.log.error({ message: "redis unreachable: events reach this instance's clients only", error: error.message });
        pub.disconnect();
        sub.disconnect();
      },
    );
  }
}

/**
 * Which browser origins may open a socket: the server's own (Origin's host = Host), the
 * SOCKET_ALLOWED_ORIGINS list, or any with `*`. Clients that send no Origin (Node, Python)
 * are not browsers and are let through to the token check.
 */
export function originPolicy(list: string[] | undefined): (origin: string, host?: string) => boolean {
  const origins = new Set(list ?? []);
  return (origin, host) => {
    if (origins.has('*') || origins.has(origin)) return true;
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      return false;
    }
  };
}
