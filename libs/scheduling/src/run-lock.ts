import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface LockLease {
  release(): Promise<void>;
}

/** A named lock held for at most `ttlMs`, so a crashed holder cannot block the others forever. */
export abstract class RunLock {
  /** The lease, or null when someone else holds the lock. */
  abstract acquire(name: string, ttlMs: number): Promise<LockLease | null>;
  abstract close(): Promise<void>;
}

/** One process: enough when a single instance runs. */
export class InProcessRunLock extends RunLock {
  private readonly held = new Map<string, { token: string; until: number }>();

  async acquire(name: string, ttlMs: number): Promise<LockLease | null> {
    const current = this.held.get(name);
    if (current && current.until > Date.now()) return null;
    const token = randomUUID();
    this.held.set(name, { token, until: Date.now() + ttlMs });
    return {
      release: async () => {
        if (this.held.get(name)?.token === token) this.held.delete(name);
      },
    };
  }

  async close(): Promise<void> {
    this.held.clear();
  }
}

// Deletes the key only if it still holds our token: an expired lease never frees another holder's lock.
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** `SET key token NX PX ttl` on a Redis shared by every instance: one holder among them. */
export class RedisRunLock extends RunLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  async acquire(name: string, ttlMs: number): Promise<LockLease | null> {
    const key = `${this.prefix}${name}`;
    const token = randomUUID();
    const ok = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return null;
    return {
      release: async () => {
        await this.redis.eval(RELEASE_SCRIPT, 1, key, token);
      },
    };
  }

  async close(): Promise<void> {
    // QUIT waits for a connection that may never come (Redis down): then just drop it.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    else this.redis.disconnect();
  }
}
