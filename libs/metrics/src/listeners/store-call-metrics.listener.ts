import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { StoreCallEvents } from '@storesync/storage';
import { MetricsRegistry } from '../metrics.registry';

/** Latency and errors per store, from the observed ports. */
@Injectable()
export class StoreCallMetricsListener implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    private readonly calls: StoreCallEvents,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.calls.subscribe((call) => {
      const labels = { store: call.store, operation: call.operation };
      this.metrics.storeCallDuration.observe(labels, call.durationMs / 1000);
      if (call.outcome !== 'ok') this.metrics.storeCallErrors.inc({ ...labels, outcome: call.outcome });
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
