import { Controller, Get } from '@nestjs/common';
import { StoreHealthService } from '@storesync/storage';
import { Public } from '../auth/public.decorator';

/** Liveness plus each store's reachability; open to load balancers (no token). */
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: StoreHealthService) {}

  @Public()
  @Get()
  async check() {
    const stores = await this.health.check();
    const ok = Object.values(stores).every((s) => s.ok);
    return {
      status: ok ? 'ok' : 'degraded',
      stores: Object.fromEntries(
        Object.entries(stores).map(([name, s]) => [name, { ok: s.ok, kind: s.kind, latency_ms: s.latencyMs, error: s.error }]),
      ),
    };
  }
}
