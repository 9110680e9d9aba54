import { Module } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { SyncController } from './sync.controller';

@Module({ imports: [AnalysisModule], controllers: [SyncController] })
export class SyncHttpModule {}
