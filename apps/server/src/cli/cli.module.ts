import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AnalysisModule } from '@storesync/analysis';
import { AppConfigModule } from '@storesync/config';
import { RepairModule } from '@storesync/repair';
import { StorageModule } from '@storesync/storage';

/** What the command line needs: the stores, analysis and repair; no HTTP, no gateway. */
@Module({
  imports: [AppConfigModule.forRoot(), EventEmitterModule.forRoot(), StorageModule, AnalysisModule, RepairModule],
})
export class CliModule {}
