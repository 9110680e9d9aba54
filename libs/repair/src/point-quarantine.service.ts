import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { QuarantinedPoint, VectorStore } from '@storesync/storage';
import { RepairAuditService } from './repair-audit.service';

const DAY_MS = 24 * 3600_000;
/** Point ids restored per call. */
const RESTORE_BATCH = 1000;

export interface QuarantinedPointView {
  id: string;
  file_id: string;
  user_id: string;
  quarantined_at: string;
  reason: string;
  /** The first moment the daily purge may delete it. */
  purge_after: string;
}

/**
 * Points a repair deleted, kept for SYNC_QUARANTINE_DAYS (safety rule 4) by the vector
 * store's point quarantine: listed, restored (audited), purged by the daily maintenance.
 */
@Injectable()
export class PointQuarantineService {
  private readonly logger = new Logger(PointQuarantineService.name);
  private readonly days: number;

  constructor(
    private readonly vectors: VectorStore,
    private readonly audit: RepairAuditService,
    config: AppConfig,
  ) {
    this.days = config.sync.quarantineDays;
  }

  async list(options: { fileId?: string; limit: number; cursor?: string }): Promise<{ points: QuarantinedPointView[]; next_cursor: string | null }> {
    const points = await this.vectors.listQuarantinedPoints({ fileId: options.fileId, limit: options.limit + 1, afterId: options.cursor });
    const page = points.slice(0, options.limit);
    return { points: page.map((p) => this.view(p)), next_cursor: points.length > options.limit ? page[page.length - 1].id : null };
  }

  /** Puts the given points (or every kept point of one file) back; returns how many came back. */
  async restore(request: { ids?: string[]; fileId?: string }, actor: string): Promise<{ restored: number; ids: string[] }> {
    const ids = new Set(request.ids ?? []);
    if (request.fileId !== undefined) {
      for (let cursor: string | undefined; ;) {
        const page = await this.vectors.listQuarantinedPoints({ fileId: request.fileId, limit: RESTORE_BATCH, afterId: cursor });
        page.forEach((p) => ids.add(p.id));
        if (page.length < RESTORE_BATCH) break;
        cursor = page[page.length - 1].id;
      }
    }
    const all = [...ids];
    let restored = 0;
    for (let i = 0; i < all.length; i += RESTORE_BATCH) restored += await this.vectors.restoreQuarantinedPoints(all.slice(i, i + RESTORE_BATCH));
    await this.audit.record([
      {
        ...base(`restore:${randomUUID()}`, actor, request.fileId ?? null),
        action: 'restore_quarantined_points',
        destructive: false,
        result: 'done',
        before: { point_ids: all.slice(0, 100), requested: all.length },
        after: { restored },
      },
    ]);
    return { restored, ids: all };
  }

  /** Deletes the points kept longer than SYNC_QUARANTINE_DAYS (audited). */
  async purge(now: Date, repairId: string): Promise<number> {
    const deleted = await this.vectors.purgeQuarantinedPoints(new Date(now.getTime() - this.days * DAY_MS));
    if (deleted > 0) {
      await this.audit.record([
        {
          ...base(repairId, 'schedule', null),
          action: 'purge_quarantined_points',
          destructive: true,
          result: 'done',
          before: { points: deleted },
          after: { points: 0 },
        },
      ]);
    }
    this.logger.log({ message: 'point quarantine purged', repairId, deleted });
    return deleted;
  }

  private view(point: QuarantinedPoint): QuarantinedPointView {
    return {
      id: point.id,
      file_id: point.fileId,
      user_id: point.userId,
      quarantined_at: point.quarantinedAt.toISOString(),
      reason: point.reason,
      purge_after: new Date(point.quarantinedAt.getTime() + this.days * DAY_MS).toISOString(),
    };
  }
}

function base(repairId: string, actor: string, fileId: string | null) {
  return {
    repair_id: repairId,
    plan_id: '',
    dry_run: false,
    issue_id: '',
    type: null,
    target: fileId ? `qdrant:${fileId}` : 'qdrant:quarantine',
    user_id: null,
    file_id: fileId,
    file_key: null,
    reason: null,
    error: null,
    run_id: null,
    actor,
    duration_ms: null,
  };
}
