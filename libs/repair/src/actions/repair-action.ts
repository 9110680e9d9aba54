import type { IssueDocument } from '@storesync/analysis';
import type { LiveState } from '../live-check.service';
import type { PlannedAction, RepairActionName } from '../repair.types';

export interface ActionContext {
  issue: IssueDocument;
  line: PlannedAction;
  now: Date;
  /**
   * What prepare() decided, journalled before the action ran; after a crash, what the
   * interrupted attempt decided, so the action finishes the same way (the same quarantine key).
   */
  step?: Record<string, unknown> | null;
}

/** What one action did. `resolution` set: the issue is resolved with it. */
export interface ActionOutcome {
  result: 'done' | 'skipped';
  reason?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  resolution?: string;
  /** Set by an action that verified its own `done` against the live stores (a batch does it for all its lines at once). */
  verified?: boolean;
}

/** One repair action. It re-checks its issue against the live stores first, and is idempotent. */
export abstract class RepairAction {
  abstract readonly name: RepairActionName;
  abstract run(context: ActionContext): Promise<ActionOutcome>;

  /**
   * What the action will decide before touching a store, for the journal (e.g. where it
   * quarantines an object). `previous` is an earlier attempt's step, which wins. Null: nothing.
   */
  prepare(_issue: IssueDocument, _now: Date, previous: Record<string, unknown> | null): Record<string, unknown> | null {
    return previous;
  }

  /**
   * Many lines of this action at once, each still re-checked before and verified after,
   * with one store request per step for all of them (one Qdrant delete for many files).
   * Undefined: the executor runs the lines one by one.
   */
  runBatch?(contexts: ActionContext[]): Promise<(ActionOutcome | Error)[]>;

  /** Lines per runBatch call; undefined: the whole page at once. */
  readonly batchSize?: number;

  /** runBatch calls under way at once (on different lines); undefined: one after the other. */
  readonly batchConcurrency?: number;
}

/**
 * The issue is gone from the live stores: nothing to do, and the issue is resolved. When
 * its file is inside the grace window the rules do not judge it yet: nothing is done and
 * the issue stays open (deferred).
 */
export function noLongerHolds(live: LiveState, what: string): ActionOutcome {
  if (live.deferred) {
    return {
      result: 'skipped',
      reason: `deferred: the file is inside the grace window until ${live.deferred.deferredUntil.toISOString()} (uploaded or touched just now); nothing was changed, fix again after it`,
      before: describeLive(live),
    };
  }
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
      ? {
          file_id: live.record.fileId,
          file_key: live.record.fileKey,
          file_size: live.record.fileSize,
          sha256: live.record.sha256 ?? null,
          is_active: live.record.isActive,
        }
      : null,
    object: live.object ? { key: live.object.key, size: live.object.size, etag: live.object.etag ?? null } : null,
    points: live.points.length,
    ...(live.objectSha256 ? { object_sha256: live.objectSha256 } : {}),
  };
}

/** The quarantine key a journalled step names, if any. */
export function stepKey(step: Record<string, unknown> | null | undefined): string | undefined {
  return typeof step?.quarantine_key === 'string' ? step.quarantine_key : undefined;
}
