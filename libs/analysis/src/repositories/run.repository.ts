import { Injectable } from '@nestjs/common';
import { StateCollection, StateStore } from '@storesync/storage';
import { RunDocument } from './documents';

@Injectable()
export class RunRepository {
  private readonly runs: StateCollection<RunDocument>;

  constructor(state: StateStore) {
    this.runs = state.collection<RunDocument>('sync_runs', [['started_at'], ['scope_key', 'started_at']]);
  }

  create(run: RunDocument): Promise<void> {
    return this.runs.insert(run);
  }

  /** Writes the whole run, inserting it when its first write never landed (a store down at the start). */
  save(run: RunDocument): Promise<void> {
    return this.runs.upsertMany([run]);
  }

  async update(id: string, fields: Partial<RunDocument>): Promise<void> {
    await this.runs.update(id, fields);
  }

  get(id: string): Promise<RunDocument | null> {
    return this.runs.get(id);
  }

  /** Newest first, keyset-paged by started_at. */
  list(limit: number, after?: { value: string; id: string }): Promise<RunDocument[]> {
    return this.runs.find({}, { sortBy: 'started_at', order: 'desc', limit, after });
  }

  /** Finished runs started before `before` (a running one is never removed). */
  prune(before: Date): Promise<number> {
    return this.runs.deleteMany({ started_at: { $lt: before.toISOString() }, state: { $ne: 'running' } });
  }

  /** Runs left "running" by a process that died: they will never finish. */
  async failAbandoned(now: Date): Promise<number> {
    return this.runs.updateMany(
      { state: 'running' },
      { state: 'failed', partial: true, reason: 'the service stopped during the run', finished_at: now.toISOString() },
    );
  }
}
