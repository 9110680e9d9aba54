import { Injectable } from '@nestjs/common';
import { FileRecord, PointRef } from '@storesync/core';
import { MetadataStore, VectorStore } from '@storesync/storage';
import { LiveCheckService } from '../live-check.service';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction } from './repair-action';

/** orphan_vectors: delete points no metadata refers to. */
@Injectable()
export class DeleteVectorsAction extends RepairAction {
  readonly name = 'delete_vectors' as const;

  constructor(
    private readonly live: LiveCheckService,
    private readonly vectors: VectorStore,
    private readonly metadata: MetadataStore,
  ) {
    super();
  }

  /**
   * The same as run() for many orphan files: their points and metadata read in one
   * request each, one delete for all that still hold, one read to verify they are gone.
   */
  override async runBatch(contexts: ActionContext[]): Promise<ActionOutcome[]> {
    const fileIds = [...new Set(contexts.map((c) => c.issue.file_id!).filter(Boolean))];
    const [points, records] = await Promise.all([this.vectors.getPointsOfFiles(fileIds), this.metadata.getByFileIds(fileIds)]);
    const holding = fileIds.filter((id) => (points.get(id)?.length ?? 0) > 0 && !records.has(id));
    const held = new Set(holding);
    // Kept before deleted (safety rule 4): restorable from the point quarantine.
    await this.vectors.quarantineFilePoints(holding, { reason: 'repair: orphan_vectors (delete_vectors)', at: contexts[0]?.now ?? new Date() });
    const left = holding.length > 0 ? await this.vectors.getPointsOfFiles(holding) : new Map<string, PointRef[]>();
    return contexts.map(({ issue }) => {
      const fileId = issue.file_id!;
      const live = { holds: null, record: records.get(fileId) ?? null, object: null, points: points.get(fileId) ?? [] };
      if (!held.has(fileId)) return noLongerHolds(live, live.record ? 'metadata now refers to these points' : 'the points are gone');
      return outcomeOf(live.points, live.record, left.get(fileId) ?? []);
    });
  }

  async run({ issue, now }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    if (!live.holds) return noLongerHolds(live, live.record ? 'metadata now refers to these points' : 'the points are gone');
    const fileId = issue.file_id!;
    await this.vectors.quarantineFilePoints([fileId], { reason: 'repair: orphan_vectors (delete_vectors)', at: now });
    return {
      result: 'done',
      before: {
        ...describeLive(live),
        point_ids: live.points.slice(0, 100).map((p) => p.id),
        content_hashes: [...new Set(live.points.map((p) => p.contentHash))],
      },
      after: { points: await this.vectors.count({ fileId }) },
      resolution: 'repaired: orphan points deleted',
    };
  }
}

function outcomeOf(points: PointRef[], record: FileRecord | null, left: PointRef[]): ActionOutcome {
  const before = {
    metadata: record ? { file_id: record.fileId } : null,
    object: null,
    points: points.length,
    point_ids: points.slice(0, 100).map((p) => p.id),
    content_hashes: [...new Set(points.map((p) => p.contentHash))],
  };
  if (left.length > 0) {
    return { result: 'done', verified: false, before, after: { points: left.length }, resolution: undefined };
  }
  return { result: 'done', verified: true, before, after: { points: 0, verified: true }, resolution: 'repaired: orphan points deleted' };
}
