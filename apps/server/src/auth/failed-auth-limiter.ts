import { HttpException, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '@storesync/config';

const THROTTLER = 'failed-auth';

/**
 * Counts failed authentications per client address (the throttler's storage, only failures
 * are recorded): past AUTH_FAILURE_LIMIT in AUTH_FAILURE_WINDOW_SECONDS the address is
 * refused with 429 `rate_limited` for a window, whatever token it sends, so a token cannot
 * be guessed by trying. Successful requests are never counted.
 */
@Injectable()
export class FailedAuthLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(FailedAuthLimiter.name);
  private readonly storage = new ThrottlerStorageService();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(config: AppConfig) {
    this.limit = config.hardening.authFailureLimit;
    this.windowMs = config.hardening.authFailureWindowSeconds * 1000;
  }

  /** Throws 429 while the address is blocked. */
  assertAllowed(address: string): void {
    const record = this.storage.storage.get(key(address));
    const now = Date.now();
    if (record?.isBlocked && record.blockExpiresAt > now) throw tooMany(Math.ceil((record.blockExpiresAt - now) / 1000));
  }

  /** Records one failure; throws 429 when it is one too many. */
  async recordFailure(address: string): Promise<void> {
    const record = await this.storage.increment(key(address), this.windowMs, this.limit, this.windowMs, THROTTLER);
    if (record.isBlocked) {
      this.logger.warn({ message: 'failed authentications over the limit: address blocked', address, limit: this.limit, windowSeconds: this.windowMs / 1000 });
      throw tooMany(Math.max(1, record.timeToBlockExpire));
    }
  }

  onModuleDestroy(): void {
    this.storage.onApplicationShutdown();
  }
}

const key = (address: string) => `auth:${address}`;

function tooMany(retryAfterSeconds: number): HttpException {
  const error = new HttpException(
    {
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'rate_limited',
      limit: 'AUTH_FAILURE_LIMIT',
      message: `too many failed authentications from this address; retry in ${retryAfterSeconds} s`,
    },
    429,
  );
  (error as HttpException & { retryAfter?: number }).retryAfter = retryAfterSeconds;
  return error;
}
