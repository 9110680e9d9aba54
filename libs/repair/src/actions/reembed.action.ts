import { Injectable } from '@nestjs/common';
import { FilePipelineService } from '@storesync/ingest';
import { LiveCheckService } from '../live-check.service';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction } from './repair-action';

/** missing_vectors, stale_vectors: rebuild the points from the object (upsert before delete). */
@Injectable()
export class ReembedAction extends RepairAction {
  readonly name = 'reembed' as const;

  constructor(
    private readonly live: LiveCheckService,
    private readonly pipeline: FilePipelineService,
  ) {
    super();
  }

  async run({ issue, now }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    if (!live.holds) return noLongerHolds(live, `the file's points match its metadata`);
    const before = { ...describeLive(live), content_hashes: [...new Set(live.points.map((p) => p.contentHash))] };
    if (!live.object) {
      return { result: 'skipped', reason: 'the object is missing, so there is nothing to embed from: restore it first (missing_object)', before };
    }
    const result = await this.pipeline.reembed(live.record!.fileId);
    return {
      result: 'done',
      before,
      after: {
        chunks: result.embedding.chunks,
        model: result.embedding.model,
        content_hash: result.embedding.contentHash,
        removed_points: result.removedPoints,
      },
      resolution: 'repaired: re-embedded',
    };
  }
}
