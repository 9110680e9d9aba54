import { Module } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { IngestModule } from '@storesync/ingest';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [AnalysisModule, IngestModule], providers: [DemoSeedService] })
export class DemoModule {}
