import { Module } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { SchedulingModule } from '@storesync/scheduling';
import { ScrubStateRepository } from './scrub-state.repository';
import { ScrubStatusService } from './scrub-status.service';
import { ScrubScheduler } from './scrub.scheduler';
import { ScrubberService } from './scrubber.service';

/**
 * The checksum scrubber. Stores come from the global StorageModule; issues go through the
 * analysis module's IssueLifecycleService; the run lock is the scheduling module's.
 * Its state collections are its own.
 */
@Module({
  imports: [AnalysisModule, SchedulingModule],
  providers: [ScrubStateRepository, ScrubberService, ScrubStatusService, ScrubScheduler],
  exports: [ScrubberService, ScrubStatusService],
})
export class ScrubberModule {}
