import { Module } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { AppConfigModule } from '@storesync/config';
import { EventPublisherModule } from '@storesync/events';
import { RepairModule } from '@storesync/repair';
import { StorageModule } from '@storesync/storage';

/** What the command line needs: the stores, analysis and repair; no HTTP, no gateway. */
@Module({
  imports: [AppConfigModule.forRoot(), EventPublisherModule, StorageModule, AnalysisModule, RepairModule],
})
export class CliModule {}
