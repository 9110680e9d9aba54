import { Injectable } from '@nestjs/common';
import type { ScrubPhase, ScrubRunState, ScrubStopReason } from '@storesync/contract';
import { StateCollection, StateDocument, StateStore } from '@storesync/storage';

/** What the scrubber last learnt of one file (`id` is the file id). */
export interface ScrubFileDocument extends StateDocument {
  /** When it was last looked at: the least recently checked come first. */
  checked_at: string;
  outcome: 'verified' | 'mismatch' | 'missing' | 'not_checkable';
  /** The metadata sha256 the bytes were compared with: a new one means content never verified. */
  sha256: string | null;
  bytes: number;
  /** Where its bytes are and whose they are, so the oldest phase reads without a metadata lookup per file. */
  file_key?: string;
  user_id?: string;
}

/** Where the scrubber is between runs (one document). */
export interface ScrubPositionDocument extends StateDocument {
  /** The never-verified sweep over the metadata, in file_key order. */
  sweep: { cursor: string | null; started_at: string | null; completed_at: string | null };
  /** After a complete sweep, files changed since this instant are looked at for new content. */
  changes_mark: string | null;
  phase: ScrubPhase;
}

export interface ScrubRunDocument extends StateDocument {
  trigger: 'schedule' | 'api';
  state: ScrubRunState;
  stopped: ScrubStopReason;
  reason: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  files_verified: number;
  bytes_verified: number;
  mismatches: number;
  missing: number;
  bytes_per_second: number;
  position: { phase: ScrubPhase; cursor: string | null };
}

const POSITION_ID = 'scrubber';

/** The scrubber's own state collections: per-file verification, its position, its runs. */
@Injectable()
export class ScrubStateRepository {
  readonly files: StateCollection<ScrubFileDocument>;
  private readonly positions: StateCollection<ScrubPositionDocument>;
  private readonly runs: StateCollection<ScrubRunDocument>;

  constructor(state: StateStore) {
    this.files = state.collection<ScrubFileDocument>('scrub_files', [['checked_at'], ['outcome', 'checked_at']]);
    this.positions = state.collection<ScrubPositionDocument>('scrub_position');
    this.runs = state.collection<ScrubRunDocument>('scrub_runs', [['started_at']]);
  }

  async position(): Promise<ScrubPositionDocument> {
    return (
      (await this.positions.get(POSITION_ID)) ?? {
        id: POSITION_ID,
        sweep: { cursor: null, started_at: null, completed_at: null },
        changes_mark: null,
        phase: 'sweep',
      }
    );
  }

  savePosition(position: ScrubPositionDocument): Promise<void> {
    return this.positions.upsertMany([position]);
  }

  /**
   * What one batch learnt, in two bulk writes whatever its size: the batch's records are
   * replaced by deleting them and inserting the new ones, and records of files gone are
   * dropped with them. An upsert per file would cost a collection scan each on FerretDB v1;
   * a run stopped between the two writes leaves those files without a record: they count as
   * never verified until the next sweep reads them again (verified twice, never skipped).
   */
  async recordFiles(records: ScrubFileDocument[], gone: string[]): Promise<void> {
    const ids = [...records.map((record) => record.id), ...gone];
    if (ids.length === 0) return;
    await this.files.deleteMany({ id: { $in: ids } });
    if (records.length > 0) await this.files.insertMany(records);
  }

  async filesById(ids: string[]): Promise<Map<string, ScrubFileDocument>> {
    if (ids.length === 0) return new Map();
    const docs = await this.files.find({ id: { $in: ids } });
    return new Map(docs.map((doc) => [doc.id, doc]));
  }

  /** The least recently checked, keyset-paged by (checked_at, id). */
  oldest(limit: number, after?: { value: string; id: string }): Promise<ScrubFileDocument[]> {
    return this.files.find({}, { sortBy: 'checked_at', order: 'asc', limit, after });
  }

  createRun(run: ScrubRunDocument): Promise<void> {
    return this.runs.insert(run);
  }

  async saveRun(run: ScrubRunDocument): Promise<void> {
    await this.runs.update(run.id, run);
  }

  async latestRuns(limit: number): Promise<ScrubRunDocument[]> {
    return this.runs.find({}, { sortBy: 'started_at', order: 'desc', limit });
  }
}
