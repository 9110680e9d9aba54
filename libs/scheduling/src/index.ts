export { SchedulingModule, createRunLock } from './scheduling.module';
export { SchedulingService, FULL_ANALYSIS_INTERVAL, HEALTH_PROBE_INTERVAL, QUARANTINE_PURGE_INTERVAL, type ScheduledRunOutcome } from './scheduling.service';
export { QuarantinePurgeHook, type QuarantinePurge } from './quarantine-purge.hook';
export { MaintenanceTasks, type MaintenanceTask } from './maintenance-tasks';
export { RunLock, InProcessRunLock, RedisRunLock, type LockLease } from './run-lock';
