import { FileRecord, mapBounded } from '@storesync/core';
import type { ScrubPhase } from '@storesync/contract';
import type { MetadataStore } from '@storesync/storage';
import type { ScrubFileDocument, ScrubPositionDocument, ScrubStateRepository } from './scrub-state.repository';

/** Files per batch: one metadata page, one state lookup, one bulk write. */
export const SCRUB_PAGE = 200;
/** Changes re-read before the mark: late commits and clock skew between writers. */
const CHANGES_OVERLAP_MS = 60_000;
/** Metadata lookups in flight for a page of least-recently-verified files. */
const LOOKUPS = 16;

/** What hashing a file needs: its bytes' key and the sha256 to compare with. */
export type ScrubTarget = Pick<FileRecord, 'fileId' | 'userId' | 'fileKey' | 'sha256'>;

/** Files to look at next, in the scrubber's order, and how the position moves once they are recorded. */
export interface ScrubBatch {
  phase: ScrubPhase;
  /** Hash these. */
  due: ScrubTarget[];
  /** Nothing to verify (inactive, no sha256): recorded so they are not looked for again. */
  notCheckable: FileRecord[];
  /** Records of files the metadata no longer has. */
  gone: string[];
  /** Applied to the position once every file of the batch is recorded. */
  advance(position: ScrubPositionDocument): void;
  /** Where the position stands after it (reported). */
  cursor: string | null;
}

/**
 * The scrubber's order, as batches: first every file never verified (a sweep over the
 * metadata in file_key order, continued across runs; once complete, only files changed
 * since it started), then the least recently verified. The sweep starts over once
 * every file has been checked again since it completed, catching files written with an
 * old updated_at.
 */
export class ScrubQueue {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly state: ScrubStateRepository,
    private readonly runStartedAt: Date,
    private readonly graceMs: number,
  ) {}

  /**
   * Starts the sweep over when every file was checked again since it completed (the
   * oldest check is newer than its end): one pass catches what the changes phase cannot.
   */
  static restartSweepIfCycled(position: ScrubPositionDocument, oldestCheckedAt: string | null): boolean {
    const completed = position.sweep.completed_at;
    if (!completed || !oldestCheckedAt || oldestCheckedAt <= completed) return false;
    position.sweep = { cursor: null, started_at: null, completed_at: null };
    position.phase = 'sweep';
    return true;
  }

  async *batches(position: ScrubPositionDocument): AsyncGenerator<ScrubBatch> {
    const started = this.runStartedAt.toISOString();
    let mark = position.changes_mark ?? started;
    if (!position.sweep.completed_at) {
      const sweepStartedAt = position.sweep.started_at ?? started;
      const pages = this.metadata.streamFilePages({ afterKey: position.sweep.cursor ?? undefined, batchSize: SCRUB_PAGE })[Symbol.asyncIterator]();
      let finished = false;
      try {
        let next = pages.next();
        for (;;) {
          const step = await next;
          if (step.done) break;
          const page = step.value;
          // The next metadata page is read while this one's records are looked up (two round trips at once,
          // not one after the other: a sweep of files already verified has nothing to hash in between).
          next = pages.next();
          next.catch(() => undefined);
          const cursor = page[page.length - 1].fileKey;
          yield {
            phase: 'sweep',
            ...(await this.sort(page, false)),
            gone: [],
            cursor,
            advance: (p) => {
              p.phase = 'sweep';
              p.sweep = { cursor, started_at: sweepStartedAt, completed_at: null };
            },
          };
        }
        finished = true;
      } finally {
        // Stopped early (budget, a store down): the page stream is closed in the background, never awaited.
        if (!finished) void Promise.resolve(pages.return?.(undefined)).catch(() => undefined);
      }
      mark = sweepStartedAt;
      yield {
        phase: 'changes',
        due: [],
        notCheckable: [],
        gone: [],
        cursor: sweepStartedAt,
        // Files changed while the sweep ran are the changes phase's from here on. Completed when
        // its last batch is recorded, not when the run began: the files the sweep itself just
        // verified must not count as "checked again since", or the next run would sweep again.
        advance: (p) => {
          p.sweep = { cursor: null, started_at: sweepStartedAt, completed_at: new Date().toISOString() };
          p.changes_mark = sweepStartedAt;
          p.phase = 'changes';
        },
      };
    }
    yield* this.changes(mark);
    yield* this.oldest();
  }

  /** Files whose metadata changed since the mark: new files and new content. */
  private async *changes(mark: string): AsyncGenerator<ScrubBatch> {
    const since = new Date(Date.parse(mark) - CHANGES_OVERLAP_MS);
    let after: { updatedAt: Date; fileId: string } | undefined;
    let newMark = mark;
    for (;;) {
      const page = await this.metadata.changedSince(since, SCRUB_PAGE, after);
      if (page.length === 0) break;
      const last = page[page.length - 1];
      after = { updatedAt: last.updatedAt, fileId: last.fileId };
      // Never past the run's start: a change committed later with an earlier stamp is re-read next time.
      const seen = last.updatedAt.toISOString();
      if (seen > newMark) newMark = seen < this.runStartedAt.toISOString() ? seen : this.runStartedAt.toISOString();
      const mark = newMark;
      yield {
        phase: 'changes',
        ...(await this.sort(page, false)),
        gone: [],
        cursor: mark,
        advance: (p) => {
          p.phase = 'changes';
          p.changes_mark = mark;
        },
      };
      if (page.length < SCRUB_PAGE) break;
    }
  }

  /** Files verified longest ago (before this run started), oldest first. */
  private async *oldest(): AsyncGenerator<ScrubBatch> {
    const started = this.runStartedAt.toISOString();
    let after: { value: string; id: string } | undefined;
    for (;;) {
      const docs = (await this.state.oldest(SCRUB_PAGE, after)).filter((doc) => doc.checked_at < started);
      if (docs.length === 0) return;
      const last = docs[docs.length - 1];
      after = { value: last.checked_at, id: last.id };
      // A file verified last time is read from its record (key, sha256): the changes phase, run first,
      // has already recorded new content and deletions. Anything else asks the metadata.
      const trusted = docs.filter((doc) => doc.outcome === 'verified' && doc.file_key && doc.user_id && doc.sha256);
      const doubtful = docs.filter((doc) => !trusted.includes(doc));
      const records = await mapBounded(doubtful, LOOKUPS, (doc) => this.metadata.getByFileId(doc.id));
      const gone = doubtful.filter((_, i) => !records[i]).map((doc) => doc.id);
      const present = records.filter((record): record is FileRecord => !!record);
      const looked = await this.sort(present, true);
      const lookedDue = new Map(looked.due.map((record) => [record.fileId, record]));
      // Least recently verified first, whichever way each target was found.
      const due = docs
        .map((doc): ScrubTarget | undefined =>
          trusted.includes(doc) ? { fileId: doc.id, userId: doc.user_id!, fileKey: doc.file_key!, sha256: doc.sha256 } : lookedDue.get(doc.id),
        )
        .filter((target): target is ScrubTarget => !!target);
      const cursor = last.checked_at;
      yield {
        phase: 'oldest',
        due,
        notCheckable: looked.notCheckable,
        gone,
        cursor,
        advance: (p) => {
          p.phase = 'oldest';
        },
      };
      if (docs.length < SCRUB_PAGE) return;
    }
  }

  /**
   * Which files of a page to hash. Outside the oldest phase, a file already verified with
   * its current sha256 is skipped; inside the grace window a file may be mid-write, so it
   * waits (the changes phase finds it later).
   */
  private async sort(page: FileRecord[], recheck: boolean): Promise<Pick<ScrubBatch, 'due' | 'notCheckable'>> {
    const known = recheck ? new Map<string, ScrubFileDocument>() : await this.state.filesById(page.map((r) => r.fileId));
    const due: FileRecord[] = [];
    const notCheckable: FileRecord[] = [];
    const now = this.runStartedAt.getTime();
    for (const record of page) {
      const doc = known.get(record.fileId);
      if (!record.isActive || !record.sha256) {
        if (recheck || doc?.outcome !== 'not_checkable') notCheckable.push(record);
        continue;
      }
      if (!recheck && doc && doc.outcome !== 'not_checkable' && doc.sha256 === record.sha256) continue;
      if (now - record.updatedAt.getTime() < this.graceMs) continue;
      due.push(record);
    }
    return { due, notCheckable };
  }
}
