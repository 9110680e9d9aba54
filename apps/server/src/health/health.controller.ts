import { Controller, Get } from '@nestjs/common';
import { healthToWire, StoreHealthService } from '@storesync/storage';
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
      stores: healthToWire(stores),
    };
  }
}
