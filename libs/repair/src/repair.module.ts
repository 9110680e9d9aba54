import { Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';
import { IngestModule } from '@storesync/ingest';
import { SchedulingModule } from '@storesync/scheduling';
import { ObjectStore } from '@storesync/storage';
import { DeleteUnmappedPointsAction } from './actions/delete-unmapped-points.action';
import { DeleteVectorsAction } from './actions/delete-vectors.action';
import { FinishDeletionAction } from './actions/finish-deletion.action';
import { FixSizeAction } from './actions/fix-size.action';
import { QuarantineObjectAction } from './actions/quarantine-object.action';
import { ReembedAction } from './actions/reembed.action';
import { RestoreObjectAction } from './actions/restore-object.action';
import { BACKUP_OBJECT_STORE, createBackupObjectStore } from './backup-object.store';
import { LiveCheckService } from './live-check.service';
import { ObjectRestorer } from './object-restorer';
import { QuarantineMaintenanceService } from './quarantine-maintenance.service';
import { PointQuarantineService } from './point-quarantine.service';
import { QuarantineService } from './quarantine.service';
import { RepairAuditService } from './repair-audit.service';
import { RepairExecutor } from './repair-executor.service';
import { RepairPlanner } from './repair-planner.service';
import { RepairJournalService } from './repair-journal.service';
import { RepairService } from './repair.service';
import { JournalRepository } from './repositories/journal.repository';
import { ActionAuditRepository } from './repositories/action-audit.repository';
import { PlanRepository } from './repositories/plan.repository';
import { RepairRetentionService } from './repair-retention.service';

/** Plans (dry run), executes and audits repairs; owns the quarantine. Stores come from the global StorageModule. */
@Module({
  imports: [AnalysisModule, IngestModule, SchedulingModule],
  providers: [
    { provide: BACKUP_OBJECT_STORE, inject: [AppConfig], useFactory: createBackupObjectStore },
    LiveCheckService,
    QuarantineService,
    PointQuarantineService,
    ObjectRestorer,
    ReembedAction,
    DeleteVectorsAction,
    DeleteUnmappedPointsAction,
    QuarantineObjectAction,
    FinishDeletionAction,
    RestoreObjectAction,
    FixSizeAction,
    ActionAuditRepository,
    PlanRepository,
    JournalRepository,
    RepairAuditService,
    RepairJournalService,
    RepairPlanner,
    RepairExecutor,
    RepairService,
    QuarantineMaintenanceService,
    RepairRetentionService,
  ],
  exports: [RepairService, QuarantineMaintenanceService, RepairAuditService, PointQuarantineService],
})
export class RepairModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(BACKUP_OBJECT_STORE) private readonly backup: ObjectStore | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.backup?.close();
  }
}
