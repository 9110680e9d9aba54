import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { MaintenanceTasks } from '@storesync/scheduling';
import { ActionAuditRepository } from './repositories/action-audit.repository';
import { PlanRepository } from './repositories/plan.repository';

const DAY_MS = 86_400_000;

/** Saved plans past SYNC_PLAN_RETENTION_DAYS and audit rows past SYNC_AUDIT_RETENTION_DAYS go in the daily maintenance. */
@Injectable()
export class RepairRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private unregister: (() => void)[] = [];

  constructor(
    private readonly plans: PlanRepository,
    private readonly actions: ActionAuditRepository,
    private readonly tasks: MaintenanceTasks,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.unregister = [this.tasks.register('repair_plans', (now) => this.prunePlans(now)), this.tasks.register('repair_audit', (now) => this.pruneAudit(now))];
  }

  onApplicationShutdown(): void {
    this.unregister.forEach((undo) => undo());
  }

  prunePlans(now: Date): Promise<number> {
    return this.plans.prune(new Date(now.getTime() - this.config.retention.planDays * DAY_MS));
  }

  pruneAudit(now: Date): Promise<number> {
    return this.actions.prune(new Date(now.getTime() - this.config.retention.auditDays * DAY_MS));
  }
}
