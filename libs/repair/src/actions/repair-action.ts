import type { IssueDocument } from '@storesync/analysis';
import type { LiveState } from '../live-check.service';
import type { PlannedAction, RepairActionName } from '../repair.types';

export interface ActionContext {
  issue: IssueDocument;
  line: PlannedAction;
  now: Date;
}

/** What one action did. `resolution` set: the issue is resolved with it. */
export interface ActionOutcome {
  result: 'done' | 'skipped';
  reason?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  resolution?: string;
}

/** One repair action. It re-checks its issue against the live stores first, and is idempotent. */
export abstract class RepairAction {
  abstract readonly name: RepairActionName;
  abstract run(context: ActionContext): Promise<ActionOutcome>;
}

/** The issue is gone from the live stores: nothing to do, and the issue is resolved. */
export function noLongerHolds(live: LiveState, what: string): ActionOutcome {
  return {
    result: 'skipped',
    reason: `no longer holds: re-checked right before acting, ${what}; nothing was changed`,
    before: describeLive(live),
    resolution: 'no longer found when re-checked by a repair',
  };
}

export function describeLive(live: LiveState): Record<string, unknown> {
  return {
    metadata: live.record
      ? { file_id: live.record.fileId, file_key: live.record.fileKey, file_size: live.record.fileSize, sha256: live.record.sha256 ?? null, is_active: live.record.isActive }
      : null,
    object: live.object ? { key: live.object.key, size: live.object.size, etag: live.object.etag ?? null } : null,
    points: live.points.length,
    ...(live.objectSha256 ? { object_sha256: live.objectSha256 } : {}),
  };
}
