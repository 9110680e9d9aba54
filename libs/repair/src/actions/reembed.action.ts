import { Injectable } from '@nestjs/common';
import { FilePipelineService, ReembedResult } from '@storesync/ingest';
import { LiveCheckService, LiveState } from '../live-check.service';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction } from './repair-action';

const NOTHING_TO_EMBED = 'the object is missing, so there is nothing to embed from: restore it first (missing_object)';

/** missing_vectors, stale_vectors: rebuild the points from the object (upsert before delete). */
@Injectable()
export class ReembedAction extends RepairAction {
  readonly name = 'reembed' as const;
  // Each file's text and vectors are held until its batch is written.
  override readonly batchSize = 50;
  // A batch ends with a bulk metadata write, slow on a store that scans per update (FerretDB
  // v1): the next batch re-checks and embeds meanwhile. The writes stay one at a time (FilePipelineService).
  override readonly batchConcurrency = 2;

  constructor(
    private readonly live: LiveCheckService,
    private readonly pipeline: FilePipelineService,
  ) {
    super();
  }

  async run({ issue, now }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    if (!live.holds) return noLongerHolds(live, `the file's points match its metadata`);
    if (!live.object) return { result: 'skipped', reason: NOTHING_TO_EMBED, before: before(live) };
    return done(live, await this.pipeline.reembed(live.record!.fileId));
  }

  /**
   * The same for many files: re-checked together (one metadata read, one points read),
   * re-embedded with one store request per step, then verified together. A file whose
   * re-embed failed fails alone; a store failing for the whole batch fails each line.
   */
  override async runBatch(contexts: ActionContext[]): Promise<(ActionOutcome | Error)[]> {
    const now = contexts[0]?.now ?? new Date();
    const lives = await this.live.checkFiles(
      contexts.map((c) => c.issue),
      now,
    );
    const todo = lives.filter((live) => live.holds && live.object).map((live) => live.record!);
    const pointsBefore = new Map(lives.flatMap((live) => (live.record ? [[live.record.fileId, live.points] as const] : [])));
    const results = todo.length > 0 ? await this.pipeline.reembedFiles(todo, pointsBefore) : new Map<string, ReembedResult | Error>();
    const reembedded = contexts.filter((_, i) => results.get(lives[i].record?.fileId ?? '') && !(results.get(lives[i].record!.fileId) instanceof Error));
    // Rule 8 for all of them at once: done only if the issue is gone from the live stores.
    const after = new Map(
      (
        await this.live.checkFiles(
          reembedded.map((c) => c.issue),
          new Date(),
        )
      ).map((state, i) => [reembedded[i], state]),
    );
    return contexts.map((context, i) => {
      const live = lives[i];
      if (!live.holds) return noLongerHolds(live, `the file's points match its metadata`);
      if (!live.object) return { result: 'skipped', reason: NOTHING_TO_EMBED, before: before(live) };
      const result = results.get(live.record!.fileId);
      if (!result || result instanceof Error) return result ?? new Error('not re-embedded');
      const verified = after.get(context)!;
      const outcome = done(live, result);
      const still = verified.holds ?? verified.deferred;
      return still
        ? { ...outcome, verified: false, after: { ...outcome.after, verified: false, still_holds: still.details } }
        : { ...outcome, verified: true, after: { ...outcome.after, verified: true } };
    });
  }
}

function before(live: LiveState): Record<string, unknown> {
  return { ...describeLive(live), content_hashes: [...new Set(live.points.map((p) => p.contentHash))] };
}

function done(live: LiveState, result: ReembedResult): ActionOutcome {
  return {
    result: 'done',
    before: before(live),
    after: {
      chunks: result.embedding.chunks,
      model: result.embedding.model,
      content_hash: result.embedding.contentHash,
      removed_points: result.removedPoints,
    },
    resolution: 'repaired: re-embedded',
  };
}
