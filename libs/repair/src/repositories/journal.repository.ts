import { Injectable } from '@nestjs/common';
import { StateCollection, StateStore } from '@storesync/storage';
import { JournalDocument, RepairRunDocument } from './documents';

const ID_CHUNK = 500;

/** The repair journal (`sync_repair_journal`, insert-only) and the executions it belongs to (`sync_repairs`). */
@Injectable()
export class JournalRepository {
  private readonly journal: StateCollection<JournalDocument>;
  private readonly repairs: StateCollection<RepairRunDocument>;

  constructor(state: StateStore) {
    this.journal = state.collection<JournalDocument>('sync_repair_journal', [['repair_id'], ['issue_id']]);
    this.repairs = state.collection<RepairRunDocument>('sync_repairs', [['state'], ['started_at']]);
  }

  /** Written before the actions act, in one bulk insert. */
  started(entries: JournalDocument[]): Promise<void> {
    return this.journal.insertMany(entries);
  }

  /** The newest journal entry of each issue (what an earlier, maybe interrupted, attempt decided). */
  async latestFor(issueIds: string[]): Promise<Map<string, JournalDocument>> {
    const latest = new Map<string, JournalDocument>();
    for (let i = 0; i < issueIds.length; i += ID_CHUNK) {
      for (const entry of await this.journal.find({ issue_id: { $in: issueIds.slice(i, i + ID_CHUNK) } })) {
        const known = latest.get(entry.issue_id);
        if (!known || known.at < entry.at) latest.set(entry.issue_id, entry);
      }
    }
    return latest;
  }

  ofRepair(repairId: string): AsyncIterable<JournalDocument> {
    return this.journal.stream({ repair_id: repairId });
  }

  createRepair(run: RepairRunDocument): Promise<void> {
    return this.repairs.insert(run);
  }

  async updateRepair(id: string, fields: Partial<RepairRunDocument>): Promise<void> {
    await this.repairs.update(id, fields);
  }

  getRepair(id: string): Promise<RepairRunDocument | null> {
    return this.repairs.get(id);
  }

  runningRepairs(): Promise<RepairRunDocument[]> {
    return this.repairs.find({ state: 'running' });
  }
}
