import { Module } from '@nestjs/common';
import { AnalysisService } from './analysis.service';
import { DoctorService } from './doctor/doctor.service';
import { FileCheckService } from './file-check.service';
import { IssueLifecycleService } from './lifecycle/issue-lifecycle.service';
import { IssueRepository } from './repositories/issue.repository';
import { RunRepository } from './repositories/run.repository';
import { ScopeCheckRepository } from './repositories/scope-check.repository';
import { UserStatusRepository } from './repositories/user-status.repository';
import { SyncQueryService } from './sync-query.service';

/**
 * Full scans, single-file checks, run history and the issue lifecycle. Stores come from
 * the global StorageModule; the repositories are the module's own (other modules call
 * IssueLifecycleService and SyncQueryService).
 */
@Module({
  providers: [
    AnalysisService,
    DoctorService,
    FileCheckService,
    SyncQueryService,
    IssueLifecycleService,
    RunRepository,
    IssueRepository,
    ScopeCheckRepository,
    UserStatusRepository,
  ],
  exports: [AnalysisService, DoctorService, FileCheckService, SyncQueryService, IssueLifecycleService],
})
export class AnalysisModule {}
