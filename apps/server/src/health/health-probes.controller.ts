import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '@storesync/config';
import type { StoreName } from '@storesync/core';
import { StateStore, StoreHealthService } from '@storesync/storage';
import { Public } from '../auth/public.decorator';

/** An orchestrator probes often: readiness answers from a result at most this old. */
const READY_CACHE_MS = 1000;

/**
 * Probes for a container orchestrator, open without a token and cheap. Liveness touches no
 * store (a store outage must not get the service restarted: it is what reports outages).
 * Readiness is down only when the service's own state store does not answer; a data store
 * that is down makes it `degraded` (still 200), since storesync keeps serving and reports it.
 */
@ApiTags('health')
@Controller('api/health')
export class HealthProbesController {
  private readonly timeoutMs: number;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly state: StateStore,
    private readonly stores: StoreHealthService,
    config: AppConfig,
  ) {
    this.timeoutMs = Math.min(config.storeTimeoutMs, 3000);
  }

  @Public()
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (no store is called)' })
  live() {
    return this.health.check([() => this.indicator.check('process').up({ uptime_s: Math.round(process.uptime()) })]);
  }

  @Public()
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 503 when the state store does not answer; a data store down is `degraded` (200)' })
  ready() {
    return this.health.check([
      () =>
        this.indicator
          .check('state')
          .attempt(async () => {
            await this.state.collection('sync_runs').count({ id: '__readiness__' });
          })
          .withTimeout(this.timeoutMs)
          .cacheFor(READY_CACHE_MS),
      ...(['mongodb', 's3', 'qdrant'] as StoreName[]).map((store) => () => this.dataStore(store)),
    ]);
  }

  private storesCheck?: { at: number; result: ReturnType<StoreHealthService['check']> };

  /** One ping of the three data stores per request (or per READY_CACHE_MS), shared by the three indicators. */
  private async dataStore(store: StoreName) {
    if (!this.storesCheck || Date.now() - this.storesCheck.at > READY_CACHE_MS) {
      const result = withTimeout(this.stores.check(), this.timeoutMs);
      result.catch(() => undefined);
      this.storesCheck = { at: Date.now(), result };
    }
    const session = this.indicator.check(store);
    try {
      const health = (await this.storesCheck.result)[store];
      return health.ok
        ? session.up({ kind: health.kind, latency_ms: health.latencyMs })
        : session.degraded({ kind: health.kind, error: health.error ?? 'down' });
    } catch {
      return session.degraded({ error: `no answer within ${this.timeoutMs} ms` });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
