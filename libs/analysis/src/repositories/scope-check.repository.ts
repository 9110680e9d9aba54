import { Injectable } from '@nestjs/common';
import { StateCollection, StateStore } from '@storesync/storage';
import { GLOBAL_SCOPE, ScopeChecks, scopeKey } from '../lifecycle/derived-state';
import { ScopeCheckDocument } from './documents';

/** `sync_scope_checks`: one document per scope, rewritten when a complete run of it ends. */
@Injectable()
export class ScopeCheckRepository {
  private readonly checks: StateCollection<ScopeCheckDocument>;

  constructor(state: StateStore) {
    this.checks = state.collection<ScopeCheckDocument>('sync_scope_checks');
  }

  save(check: ScopeCheckDocument): Promise<void> {
    return this.checks.upsertMany([check]);
  }

  /** Every scope's check (one per scope ever analysed completely: small). */
  async all(): Promise<ScopeChecks> {
    return new ScopeChecks(await this.checks.find({}));
  }

  /** The checks covering these users' issues. */
  async forUsers(userIds: Iterable<string>): Promise<ScopeChecks> {
    const ids = [GLOBAL_SCOPE, ...new Set([...userIds].map((u) => scopeKey(u)))];
    return new ScopeChecks(await this.checks.find({ id: { $in: ids } }));
  }
}
