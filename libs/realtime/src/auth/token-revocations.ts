import { createHash } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { StateCollection, StateStore } from '@storesync/storage';

interface RevokedTokenDocument {
  /** SHA-256 of the token: the token itself is never stored. */
  id: string;
  user_id: string;
  expires_at: string;
  revoked_at: string;
}

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Revoked user tokens until they would have expired anyway: checked in memory on every
 * handshake and request, kept in the state store so a restart (or another instance at its
 * start) still refuses them.
 */
@Injectable()
export class TokenRevocations implements OnModuleInit {
  private readonly logger = new Logger(TokenRevocations.name);
  private readonly revoked = new Map<string, number>();
  private readonly documents: StateCollection<RevokedTokenDocument>;
  private readonly listeners = new Set<(digest: string) => void>();

  constructor(state: StateStore) {
    this.documents = state.collection<RevokedTokenDocument>('revoked_tokens', [['expires_at']]);
  }

  async onModuleInit(): Promise<void> {
    const now = new Date().toISOString();
    try {
      await this.documents.deleteMany({ expires_at: { $lt: now } });
      for (const doc of await this.documents.find({ expires_at: { $gt: now } })) this.revoked.set(doc.id, Date.parse(doc.expires_at));
    } catch (error) {
      // A down state store must not stop the start; the revocations made here still hold.
      this.logger.warn({ message: 'could not load revoked tokens', error: (error as Error).message });
    }
  }

  isRevoked(token: string, now = Date.now()): boolean {
    const digest = tokenDigest(token);
    const until = this.revoked.get(digest);
    if (until === undefined) return false;
    if (until <= now) {
      this.revoked.delete(digest);
      return false;
    }
    return true;
  }

  async revoke(token: string, userId: string, expiresAt: Date, now = new Date()): Promise<void> {
    const digest = tokenDigest(token);
    await this.documents.upsertMany([{ id: digest, user_id: userId, expires_at: expiresAt.toISOString(), revoked_at: now.toISOString() }]);
    this.revoked.set(digest, expiresAt.getTime());
    for (const listener of this.listeners) listener(digest);
  }

  /** The gateway disconnects the sockets opened with a token when it is revoked. */
  onRevoked(listener: (digest: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
