import { Inject, Injectable } from '@nestjs/common';
import { AdminTokenVerifier } from './admin-token.verifier';
import { TokenRevocations } from './token-revocations';
import { signUserToken, UserTokenClaims, verifyUserToken } from './user-token';
import { REALTIME_OPTIONS, RealtimeOptions } from '../realtime.options';

/** Who a Socket.IO handshake token belongs to. */
export type SocketPrincipal = { role: 'admin' } | { role: 'user'; userId: string; expiresAt?: Date };

/** Issues and checks user tokens: HMAC-signed with the admin token, expiring. */
@Injectable()
export class UserTokenService {
  constructor(
    private readonly admin: AdminTokenVerifier,
    @Inject(REALTIME_OPTIONS) private readonly options: RealtimeOptions,
    private readonly revocations: TokenRevocations,
  ) {}

  issue(userId: string, ttlSeconds = this.options.userTokenTtlSeconds, now = new Date()): { token: string; expiresAt: Date } {
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    return { token: signUserToken(userId, expiresAt, this.admin.token), expiresAt };
  }

  /** The claims of a well-signed, unexpired, unrevoked user token. */
  verify(token: unknown, now = new Date()): UserTokenClaims | null {
    const claims = verifyUserToken(token, this.admin.token, now);
    return claims && !this.revocations.isRevoked(token as string, now.getTime()) ? claims : null;
  }

  /** Revokes a live user token (sockets opened with it are disconnected); null when it is not one. */
  async revoke(token: unknown): Promise<UserTokenClaims | null> {
    const claims = this.verify(token);
    if (!claims) return null;
    await this.revocations.revoke(token as string, claims.userId, claims.expiresAt);
    return claims;
  }

  /** The admin, a user, or null for an absent, forged or expired token. */
  principal(token: unknown): SocketPrincipal | null {
    if (typeof token !== 'string' || token.length === 0) return null;
    if (this.admin.verify(token)) return { role: 'admin' };
    const claims = this.verify(token);
    return claims ? { role: 'user', userId: claims.userId, expiresAt: claims.expiresAt } : null;
  }
}
