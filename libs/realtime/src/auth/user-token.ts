import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';

export interface UserTokenClaims {
  userId: string;
  expiresAt: Date;
}

/**
 * `v1.<payload>.<mac>`: payload is base64url JSON `{ u, exp, n }` (exp in epoch seconds, n a nonce),
 * mac is HMAC-SHA256 over `v1.<payload>` keyed with the admin token. Pure: no clock of its own.
 */
export function signUserToken(userId: string, expiresAt: Date, key: string): string {
  // `n`: a nonce, so two tokens for the same user and second differ (one can be revoked alone).
  const payload = Buffer.from(JSON.stringify({ u: userId, exp: Math.floor(expiresAt.getTime() / 1000), n: randomBytes(9).toString('base64url') })).toString(
    'base64url',
  );
  return `${VERSION}.${payload}.${mac(`${VERSION}.${payload}`, key)}`;
}

/** The claims of a well-signed, unexpired token; null for anything else. */
export function verifyUserToken(token: unknown, key: string, now: Date): UserTokenClaims | null {
  if (typeof token !== 'string' || token.length > 2048) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return null;
  const expected = Buffer.from(mac(`${parts[0]}.${parts[1]}`, key));
  const given = Buffer.from(parts[2]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: { u?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { u?: unknown; exp?: unknown };
  } catch {
    return null;
  }
  if (typeof claims.u !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp * 1000 <= now.getTime()) return null;
  return { userId: claims.u, expiresAt: new Date(claims.exp * 1000) };
}

function mac(data: string, key: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}
