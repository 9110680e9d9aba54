import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthProbesController } from './health-probes.controller';
import { HealthController } from './health.controller';

/** /api/health (each store, for people), /api/health/live and /api/health/ready (for orchestrators). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthProbesController, HealthController],
})
export class HealthModule {}
