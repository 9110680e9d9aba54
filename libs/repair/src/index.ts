export { RepairModule } from './repair.module';
export { RepairService, PLAN_TTL_HOURS, type ExecuteOptions, type PlanPage } from './repair.service';
export { RepairAuditService } from './repair-audit.service';
export { RepairJournalService, INTERRUPTED_REASON } from './repair-journal.service';
export { EXECUTE_PAGE } from './repair-executor.service';
export { QuarantineMaintenanceService } from './quarantine-maintenance.service';
export type { QuarantinedObject } from './quarantine.service';
export type { ActionQuery } from './repositories/action-audit.repository';
export type { ActionAuditDocument, PlanDocument } from './repositories/documents';
export { CircuitBreaker, type CircuitBreakerLimits } from './circuit-breaker';
export { ACTION_TABLE } from './action-table';
export {
  PartialRunIssuesError,
  CircuitBreakerTrippedError,
  PlanNotFoundError,
  PlanExpiredError,
  RepairNotFoundError,
  NotQuarantinedError,
  QuarantinedObjectNotFoundError,
  RestoreTargetExistsError,
} from './repair.errors';
export type * from './repair.types';
export { PointQuarantineService, type QuarantinedPointView } from './point-quarantine.service';
