import { Injectable } from '@nestjs/common';
import { MetadataStore, VectorStore } from '@storesync/storage';
import { LiveCheckService } from '../live-check.service';
import { QuarantineService } from '../quarantine.service';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction } from './repair-action';

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

  async run({ issue, now }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    if (!live.holds) return noLongerHolds(live, live.record?.isActive ? 'the file is active again' : 'nothing of the file remains');
    const record = live.record!;
    const stillDeleted = async () => (await this.metadata.getByFileId(record.fileId))?.isActive === false;
    let quarantinedKey: string | null = null;
    if (live.object) {
      quarantinedKey = await this.quarantine.move(record.fileKey, now, stillDeleted);
      if (!quarantinedKey) return { ...noLongerHolds(live, 'the file became active again'), resolution: undefined };
    }
    if (live.points.length > 0) await this.vectors.deleteByFileId(record.fileId);
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
