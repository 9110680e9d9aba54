import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AnalysisModule } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';
import { Redis } from 'ioredis';
import { MaintenanceTasks } from './maintenance-tasks';
import { QuarantinePurgeHook } from './quarantine-purge.hook';
import { InProcessRunLock, RedisRunLock, RunLock } from './run-lock';
import { SchedulingService } from './scheduling.service';

/** With REDIS_URL the lock is shared by every instance serving the same bucket and collection. */
export function createRunLock(config: AppConfig): RunLock {
  if (!config.redisUrl) return new InProcessRunLock();
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  return new RedisRunLock(redis, `storesync:lock:${config.s3Bucket}:${config.qdrantCollection}:`);
}

/** Periodic full analyses, store health probes and the quarantine purge hook. */
@Module({
  imports: [ScheduleModule.forRoot(), AnalysisModule],
  providers: [{ provide: RunLock, inject: [AppConfig], useFactory: createRunLock }, QuarantinePurgeHook, MaintenanceTasks, SchedulingService],
  exports: [SchedulingService, QuarantinePurgeHook, MaintenanceTasks, RunLock],
})
export class SchedulingModule {}
