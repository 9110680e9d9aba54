import { Module } from '@nestjs/common';
import { AnalysisService } from './analysis.service';
import { FileCheckService } from './file-check.service';
import { IssueRepository } from './repositories/issue.repository';
import { RunRepository } from './repositories/run.repository';
import { UserStatusRepository } from './repositories/user-status.repository';
import { SyncQueryService } from './sync-query.service';

/** Full scans, single-file checks, run history and the issue lifecycle. Stores come from the global StorageModule. */
@Module({
  providers: [AnalysisService, FileCheckService, SyncQueryService, RunRepository, IssueRepository, UserStatusRepository],
  exports: [AnalysisService, FileCheckService, SyncQueryService, IssueRepository, RunRepository],
})
export class AnalysisModule {}
