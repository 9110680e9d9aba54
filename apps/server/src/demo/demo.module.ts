import { Module } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [AnalysisModule], providers: [DemoSeedService] })
export class DemoModule {}
