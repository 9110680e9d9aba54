import { Module } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { EventMetricsListener } from './listeners/event-metrics.listener';
import { StoreCallMetricsListener } from './listeners/store-call-metrics.listener';
import { MetricsRegistry } from './metrics.registry';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics. Collected from events (the bus, the observed store ports) and two
 * read-side queries; no other module knows this one exists. Needs RealtimeModule (global).
 */
@Module({
  imports: [AnalysisModule],
  providers: [MetricsRegistry, MetricsService, EventMetricsListener, StoreCallMetricsListener],
  exports: [MetricsService],
})
export class MetricsModule {}
