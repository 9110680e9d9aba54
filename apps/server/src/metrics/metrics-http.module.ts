import { Module } from '@nestjs/common';
import { MetricsModule } from '@storesync/metrics';
import { MetricsController } from './metrics.controller';

@Module({ imports: [MetricsModule], controllers: [MetricsController] })
export class MetricsHttpModule {}
