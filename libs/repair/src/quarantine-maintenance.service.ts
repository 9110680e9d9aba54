import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { QuarantinePurgeHook } from '@storesync/scheduling';
import { PointQuarantineService } from './point-quarantine.service';
import { QuarantinedObject, QuarantineService } from './quarantine.service';
import { RepairAuditService } from './repair-audit.service';

/** The daily purge (registered with the scheduler's hook) and restores, both audited. */
@Injectable()
export class QuarantineMaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QuarantineMaintenanceService.name);

  constructor(
    private readonly quarantine: QuarantineService,
    private readonly audit: RepairAuditService,
    private readonly hook: QuarantinePurgeHook,
    private readonly points: PointQuarantineService,
  ) {}

  onApplicationBootstrap(): void {
    this.hook.setPurge((now) => this.purge(now));
  }

  onApplicationShutdown(): void {
    this.hook.setPurge(undefined);
  }

  /** Deletes quarantined objects past SYNC_QUARANTINE_DAYS; returns the tally. */
  async purge(now: Date): Promise<{ repair_id: string; deleted: number; kept: number; points_deleted: number }> {
    const repairId = `purge:${randomUUID()}`;
    const tally = await this.quarantine.purgeExpired(now, async (object) => {
      await this.audit.record([
        {
          ...base(repairId, 'schedule', object.key, object.original),
          action: 'purge_quarantined',
          destructive: true,
          result: 'done',
          before: { key: object.key, size: object.size, last_modified: object.lastModified },
          after: { object: null },
        },
      ]);
    });
    // Points deleted by repairs have the same retention as objects.
    const points = await this.points.purge(now, repairId);
    this.logger.log({ message: 'quarantine purged', repairId, ...tally, points });
    return { repair_id: repairId, ...tally, points_deleted: points };
  }

  /** A page of the quarantine; `next_cursor` is the last key when more may follow. */
  async list(limit: number, cursor?: string): Promise<{ objects: QuarantinedObject[]; next_cursor: string | null }> {
    const objects = await this.quarantine.list(limit + 1, cursor);
    const page = objects.slice(0, limit);
    return { objects: page, next_cursor: objects.length > limit ? page[page.length - 1].key : null };
  }

  async restore(key: string, actor: string): Promise<{ restored_key: string }> {
    const { original, size } = await this.quarantine.restore(key);
    await this.audit.record([
      {
        ...base(`restore:${randomUUID()}`, actor, original, original),
        action: 'restore_quarantined',
        destructive: false,
        result: 'done',
        before: { key, size },
        after: { key: original },
      },
    ]);
    return { restored_key: original };
  }
}

/** Audit fields of an action on one object; the owner is the first segment of its original key. */
function base(repairId: string, actor: string, key: string, original: string) {
  const userId = original.includes('/') ? original.slice(0, original.indexOf('/')) : null;
  return {
    repair_id: repairId,
    plan_id: '',
    dry_run: false,
    issue_id: '',
    type: null,
    target: `s3:${key}`,
    user_id: userId,
    file_id: null,
    file_key: key,
    reason: null,
    error: null,
    run_id: null,
    actor,
    duration_ms: null,
  };
}
