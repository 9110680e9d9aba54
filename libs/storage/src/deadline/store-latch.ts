import { Logger } from '@nestjs/common';
import { StoreName, StoreUnavailableError } from '@storesync/core';
import { DeadlineExpiredError, withDeadline } from './deadline';

/**
 * What a deadline wrapper knows about its store between calls. A call that ran out of
 * its deadline makes the store suspect: one ping decides (calls arriving meanwhile wait
 * for it, at most a deadline). A store that fails the ping too is down: calls fail at
 * once instead of each waiting a deadline of its own (a deep scan would otherwise queue
 * thousands of lookups on a hung server), and a ping every deadline in the background
 * notices when it answers again.
 */
export class StoreLatch {
  private readonly logger = new Logger(StoreLatch.name);
  private down?: { since: Date; reason: string };
  private probing?: Promise<boolean>;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly store: StoreName,
    private readonly timeoutMs: number,
    private readonly ping: () => Promise<void>,
  ) {}

  /** Before a call: resolves when the store may be asked, throws while it is known down. */
  async admit(): Promise<void> {
    if (this.probing && !(await this.probing)) throw this.downError();
    if (this.down) throw this.downError();
  }

  /** After a call failed: a missed deadline makes the store suspect (or down, when a ping missed it too). */
  failed(error: unknown): void {
    if (!(error instanceof DeadlineExpiredError) || this.down || this.probing) return;
    if (error.livenessFailed) return this.markDown(error.message);
    this.probing = this.probe().finally(() => (this.probing = undefined));
  }

  /** A ping of the caller's own (health checks): what it found is the store's state. */
  observed(ok: boolean, reason?: string): void {
    if (ok) this.markUp();
    else if (!this.down) this.markDown(reason ?? 'ping failed');
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  private async probe(): Promise<boolean> {
    try {
      await withDeadline(this.store, 'ping', this.timeoutMs, this.ping);
      this.markUp();
      return true;
    } catch (error) {
      this.markDown((error as Error).message);
      return false;
    }
  }

  private markDown(reason: string): void {
    if (this.closed) return;
    if (!this.down) this.logger.warn({ message: 'store down: calls fail at once until it answers a ping', store: this.store, reason });
    this.down = { since: new Date(), reason };
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.probe(), this.timeoutMs);
    this.retryTimer.unref();
  }

  private markUp(): void {
    if (this.down) this.logger.log({ message: 'store answers again', store: this.store, downSinceMs: Date.now() - this.down.since.getTime() });
    this.down = undefined;
    clearTimeout(this.retryTimer);
  }

  private downError(): StoreDownError {
    return new StoreDownError(this.store, this.down?.since ?? new Date(), this.down?.reason ?? 'ping failed');
  }
}

/** A call refused without asking: the store is known down (no retry will help before it answers a ping). */
export class StoreDownError extends StoreUnavailableError {
  constructor(store: StoreName, since: Date, reason: string) {
    super(store, `not answering since ${since.toISOString()} (${reason}); asked again once it answers a ping`);
  }
}
