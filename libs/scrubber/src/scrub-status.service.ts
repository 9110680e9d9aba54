import { Injectable } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import type { ScrubCoverage, ScrubRun, ScrubStatusResponse } from '@storesync/contract';
import { isStoreUnavailable } from '@storesync/core';
import { MetadataStore } from '@storesync/storage';
import { ScrubRunDocument, ScrubStateRepository } from './scrub-state.repository';
import { ScrubberService } from './scrubber.service';

const DAY_MS = 24 * 3600_000;

/** What GET /api/scrub/status shows: the settings, the run going, the last one, and coverage. */
@Injectable()
export class ScrubStatusService {
  constructor(
    private readonly state: ScrubStateRepository,
    private readonly scrubber: ScrubberService,
    private readonly metadata: MetadataStore,
    private readonly config: AppConfig,
  ) {}

  async status(days: number, now = new Date()): Promise<ScrubStatusResponse> {
    const running = this.scrubber.running;
    const last = (await this.state.latestRuns(2)).find((run) => run.state !== 'running' || run.id !== running?.id) ?? null;
    const { intervalMinutes, timeBudgetSeconds, bytesPerSecond, concurrency } = this.config.scrub;
    return {
      settings: { interval_minutes: intervalMinutes, time_budget_seconds: timeBudgetSeconds, bytes_per_second: bytesPerSecond, concurrency },
      running: running && toWire(running),
      last_run: last && last.id !== running?.id ? toWire(last) : null,
      coverage: await this.coverage(days, now),
    };
  }

  private async coverage(days: number, now: Date): Promise<ScrubCoverage> {
    const files = this.state.files;
    const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
    const [known, verifiedWithin, notCheckable, mismatched, oldest, total] = await Promise.all([
      files.count({}),
      files.count({ outcome: { $in: ['verified', 'mismatch'] }, checked_at: { $gt: cutoff } }),
      files.count({ outcome: 'not_checkable' }),
      files.count({ outcome: 'mismatch' }),
      files.find({ outcome: { $in: ['verified', 'mismatch'] } }, { sortBy: 'checked_at', order: 'asc', limit: 1 }),
      // MongoDB down: the scrubber's own numbers still stand; the total is unknown, not zero.
      this.metadata.count().catch((error: unknown) => {
        if (isStoreUnavailable(error)) return null;
        throw error;
      }),
    ]);
    return {
      days,
      total_files: total,
      verified_within_days: verifiedWithin,
      // Records of files deleted since are dropped as the oldest phase meets them: never below 0.
      never_verified: total === null ? null : Math.max(0, total - known),
      not_checkable: notCheckable,
      mismatched,
      oldest_verified_at: oldest[0]?.checked_at ?? null,
    };
  }
}

export function toWire(run: ScrubRunDocument): ScrubRun {
  return {
    run_id: run.id,
    trigger: run.trigger,
    state: run.state,
    stopped: run.stopped,
    reason: run.reason,
    started_at: run.started_at,
    finished_at: run.finished_at,
    duration_ms: run.duration_ms,
    files_verified: run.files_verified,
    bytes_verified: run.bytes_verified,
    mismatches: run.mismatches,
    missing: run.missing,
    bytes_per_second: run.bytes_per_second,
    position: run.position,
  };
}
