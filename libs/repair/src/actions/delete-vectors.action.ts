import { Injectable } from '@nestjs/common';
import { VectorStore } from '@storesync/storage';
import { LiveCheckService } from '../live-check.service';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction } from './repair-action';

/** orphan_vectors: delete points no metadata refers to. */
@Injectable()
export class DeleteVectorsAction extends RepairAction {
  readonly name = 'delete_vectors' as const;

  constructor(
    private readonly live: LiveCheckService,
    private readonly vectors: VectorStore,
  ) {
    super();
  }

  async run({ issue, now }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    if (!live.holds) return noLongerHolds(live, live.record ? 'metadata now refers to these points' : 'the points are gone');
    const fileId = issue.file_id!;
    await this.vectors.deleteByFileId(fileId);
    return {
      result: 'done',
      before: { ...describeLive(live), point_ids: live.points.slice(0, 100).map((p) => p.id), content_hashes: [...new Set(live.points.map((p) => p.contentHash))] },
      after: { points: await this.vectors.count({ fileId }) },
      resolution: 'repaired: orphan points deleted',
    };
  }
}
