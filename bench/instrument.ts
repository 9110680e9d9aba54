import { IssueDraft } from '@storesync/core';
import { IssueRepository, RunDocument, RunRepository } from '@storesync/analysis';

/**
 * Time the analysis spends awaiting its own state writes. The scan loop awaits each
 * batch's IssueRepository.record (and, every 250 ms, RunRepository.update) before it
 * reads on, so this time is on the scan's critical path.
 */
export const stateTimings = { recordCalls: 0, recordSeconds: 0, recordDrafts: 0, runUpdateCalls: 0, runUpdateSeconds: 0 };

export class TimedIssueRepository extends IssueRepository {
  override async record(drafts: IssueDraft[], runId: string, partial: boolean, now: Date) {
    const started = performance.now();
    try {
      return await super.record(drafts, runId, partial, now);
    } finally {
      stateTimings.recordCalls += 1;
      stateTimings.recordDrafts += drafts.length;
      stateTimings.recordSeconds += (performance.now() - started) / 1000;
    }
  }
}

export class TimedRunRepository extends RunRepository {
  override async update(id: string, fields: Partial<RunDocument>): Promise<void> {
    const started = performance.now();
    try {
      return await super.update(id, fields);
    } finally {
      stateTimings.runUpdateCalls += 1;
      stateTimings.runUpdateSeconds += (performance.now() - started) / 1000;
    }
  }
}
