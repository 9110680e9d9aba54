import { Injectable } from '@nestjs/common';
import { VectorStore } from '@storesync/storage';
import { ActionContext, ActionOutcome, RepairAction } from './repair-action';

/** Point ids deleted per request. */
const DELETE_BATCH = 256;

/**
 * unmapped_vectors: points whose payload names no file. The issue counted them per user
 * (a run of 10,000 such points is one issue, not 10,000); right before acting the live
 * store is scrolled for the points that still name no file, and those ids, no more than
 * the issue counted (what the plan and its circuit breaker approved), are deleted.
 */
@Injectable()
export class DeleteUnmappedPointsAction extends RepairAction {
  readonly name = 'delete_unmapped_points' as const;

  constructor(private readonly vectors: VectorStore) {
    super();
  }

  async run({ issue, now }: ActionContext): Promise<ActionOutcome> {
    const approved = typeof issue.details.points === 'number' ? issue.details.points : 0;
    const ids: string[] = [];
    for await (const page of this.vectors.scrollUnmappedPoints({ userId: issue.user_id })) {
      for (const point of page) if (ids.length < approved) ids.push(point.id);
      if (ids.length >= approved) break;
    }
    const before = { points: approved, found_now: ids.length, point_ids: ids.slice(0, 100) };
    if (ids.length === 0) {
      return {
        result: 'skipped',
        reason: 'no longer holds: re-checked right before acting, no point of this user lacks a file id; nothing was changed',
        before,
        resolution: 'no longer found when re-checked by a repair',
      };
    }
    for (let i = 0; i < ids.length; i += DELETE_BATCH) {
      await this.vectors.quarantinePoints(ids.slice(i, i + DELETE_BATCH), { reason: 'repair: unmapped_vectors (delete_unmapped_points)', at: now });
    }
    const left = await this.vectors.getPoints(ids);
    if (left.length > 0) throw new Error(`${left.length} of the ${ids.length} points without a file id are still there after the delete`);
    return { result: 'done', before, after: { deleted: ids.length }, resolution: 'repaired: points without a file id deleted' };
  }
}
