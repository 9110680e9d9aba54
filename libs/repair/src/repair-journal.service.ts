import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { auditEntry, AuditEntry, RepairAuditService } from './repair-audit.service';
import { JournalRepository } from './repositories/journal.repository';

export const INTERRUPTED_REASON =
  'interrupted: the service stopped while this action ran (journalled as started, never finished); the next repair of the issue re-checks it and completes it';

/**
 * After a restart, the repairs a crash cut short: every action journalled as started
 * with no audit entry of its own is audited `interrupted`, and the repair is marked
 * interrupted. What such an action left half done (a quarantine copy whose original
 * was not deleted yet) the next repair of the issue completes, with the journalled step.
 */
@Injectable()
export class RepairJournalService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RepairJournalService.name);

  constructor(
    private readonly journal: JournalRepository,
    private readonly audit: RepairAuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.recover(new Date());
    } catch (error) {
      // A state store that does not answer at boot: the next start tries again.
      this.logger.error({ message: 'could not look for interrupted repairs', error: (error as Error).message });
    }
  }

  /** Returns how many actions were interrupted. */
  async recover(now: Date): Promise<number> {
    let interrupted = 0;
    for (const run of await this.journal.runningRepairs()) {
      const finished = await this.audit.issuesOf(run.id);
      const entries: AuditEntry[] = [];
      for await (const started of this.journal.ofRepair(run.id)) {
        if (finished.has(started.issue_id)) continue;
        entries.push(
          auditEntry(
            started,
            { repairId: run.id, planId: run.plan_id, dryRun: false },
            {
              result: 'interrupted',
              reason: INTERRUPTED_REASON,
              error: null,
              before: null,
              after: started.step ? { journalled_step: started.step } : null,
              run_id: null,
              actor: run.actor,
              duration_ms: null,
              at: now.toISOString(),
            },
          ),
        );
      }
      await this.audit.record(entries);
      await this.journal.updateRepair(run.id, { state: 'interrupted', finished_at: now.toISOString(), error: 'the service stopped during the repair' });
      interrupted += entries.length;
      this.logger.warn({ message: 'repair interrupted by a stop of the service', repairId: run.id, planId: run.plan_id, interrupted: entries.length });
    }
    return interrupted;
  }
}
