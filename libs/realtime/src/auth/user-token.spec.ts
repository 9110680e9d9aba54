import { signUserToken, verifyUserToken } from './user-token';

describe('user tokens', () => {
  const key = 'admin-token-0123456789';
  const now = new Date('2026-01-01T00:00:00Z');
  const later = new Date('2026-01-01T01:00:00Z');

  it('verifies its own token before expiry', () => {
    const sut = signUserToken('alice', later, key);
    expect(verifyUserToken(sut, key, now)).toEqual({ userId: 'alice', expiresAt: later });
  });

  it('refuses an expired token', () => {
    expect(verifyUserToken(signUserToken('alice', later, key), key, later)).toBeNull();
  });

  it('refuses a token signed with another key', () => {
    expect(verifyUserToken(signUserToken('alice', later, 'other-key'), key, now)).toBeNull();
  });

  it('refuses a token whose user was changed', () => {
    const [v, , mac] = signUserToken('alice', later, key).split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'bob', exp: later.getTime() / 1000 })).toString('base64url');
    expect(verifyUserToken(`${v}.${forged}.${mac}`, key, now)).toBeNull();
  });

  it.each([undefined, '', 'garbage', 'v1.a.b', 'v2.x.y', 42])('refuses %j', (token) => {
    expect(verifyUserToken(token, key, now)).toBeNull();
  });
});
