import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@storesync/config';

/**
 * The admin token: SYNC_API_TOKEN, or one made at start (printed once by main.ts;
 * the server then listens on 127.0.0.1 only).
 */
@Injectable()
export class ApiTokenService {
  readonly token: string;
  readonly generated: boolean;
  private readonly digest: Buffer;

  constructor(config: AppConfig) {
    this.generated = !config.sync.apiToken;
    this.token = config.sync.apiToken ?? randomBytes(24).toString('base64url');
    this.digest = createHash('sha256').update(this.token).digest();
  }

  /** Constant time: both sides are hashed to the same length before comparing. */
  verify(candidate: string | undefined | null): boolean {
    if (!candidate) return false;
    return timingSafeEqual(createHash('sha256').update(candidate).digest(), this.digest);
  }
}
