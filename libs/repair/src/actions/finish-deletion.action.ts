import { Injectable } from '@nestjs/common';
import { MetadataStore, VectorStore } from '@storesync/storage';
import { LiveCheckService } from '../live-check.service';
import { QuarantineService } from '../quarantine.service';
import type { IssueDocument } from '@storesync/analysis';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction, stepKey } from './repair-action';

/** deletion_incomplete: quarantine the object, delete the points, set deleted_at. */
@Injectable()
export class FinishDeletionAction extends RepairAction {
  readonly name = 'finish_deletion' as const;

  constructor(
    private readonly live: LiveCheckService,
    private readonly quarantine: QuarantineService,
    private readonly metadata: MetadataStore,
    private readonly vectors: VectorStore,
  ) {
    super();
  }

  override prepare(issue: IssueDocument, now: Date, previous: Record<string, unknown> | null): Record<string, unknown> | null {
    if (typeof previous?.quarantine_key === 'string') return previous;
    return issue.file_key ? { quarantine_key: this.quarantine.keyFor(issue.file_key, now) } : null;
  }

  async run({ issue, now, step }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    if (!live.holds) return noLongerHolds(live, live.record?.isActive ? 'the file is active again' : 'nothing of the file remains');
    const record = live.record!;
    const stillDeleted = async () => (await this.metadata.getByFileId(record.fileId))?.isActive === false;
    let quarantinedKey: string | null = null;
    if (live.object) {
      const journalled = stepKey(step);
      quarantinedKey = await this.quarantine.move(
        record.fileKey,
        now,
        stillDeleted,
        journalled?.endsWith(`/${record.fileKey}`) ? journalled : this.quarantine.keyFor(record.fileKey, now),
      );
      if (!quarantinedKey) return { ...noLongerHolds(live, 'the file became active again'), resolution: undefined };
    }
    // Kept before deleted (safety rule 4), like the object.
    if (live.points.length > 0) await this.vectors.quarantineFilePoints([record.fileId], { reason: 'repair: deletion_incomplete (finish_deletion)', at: now });
    const deletedAt = record.deletedAt ?? now;
    await this.metadata.update(record.fileId, { deletedAt, updatedAt: now });
    return {
      result: 'done',
      before: { ...describeLive(live), deleted_at: record.deletedAt?.toISOString() ?? null },
      after: { object: null, quarantined_key: quarantinedKey, points: 0, deleted_at: deletedAt.toISOString() },
      resolution: 'repaired: deletion finished',
    };
  }
}
