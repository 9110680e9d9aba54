import { Injectable } from '@nestjs/common';
import type { SyncStatus } from '@storesync/core';
import { StateCollection, StateFilter, StateStore } from '@storesync/storage';
import { UserStatusDocument } from './documents';

@Injectable()
export class UserStatusRepository {
  private readonly users: StateCollection<UserStatusDocument>;

  constructor(state: StateStore) {
    this.users = state.collection<UserStatusDocument>('sync_user_status', [['status']]);
  }

  save(docs: UserStatusDocument[]): Promise<void> {
    return this.users.upsertMany(docs);
  }

  /** The tallies of these users (one query, for a page of the users list). */
  many(userIds: string[]): Promise<UserStatusDocument[]> {
    return userIds.length === 0 ? Promise.resolve([]) : this.users.find({ id: { $in: userIds } });
  }

  get(userId: string): Promise<UserStatusDocument | null> {
    return this.users.get(userId);
  }

  list(filter: { status?: SyncStatus }, limit: number, after?: string): Promise<UserStatusDocument[]> {
    const query: StateFilter = {};
    if (filter.status) query.status = filter.status;
    return this.users.find(query, { sortBy: 'id', order: 'asc', limit, after: after ? { value: after, id: after } : undefined });
  }

  count(filter: { status?: SyncStatus } = {}): Promise<number> {
    return this.users.count(filter.status ? { status: filter.status } : {});
  }

  all(): Promise<UserStatusDocument[]> {
    return this.users.find({}, { sortBy: 'id' });
  }
}
