export { RepairModule } from './repair.module';
export { RepairService, PLAN_TTL_HOURS } from './repair.service';
export { QuarantineMaintenanceService } from './quarantine-maintenance.service';
export { ActionAuditRepository, type ActionQuery } from './repositories/action-audit.repository';
export type { ActionAuditDocument, PlanDocument } from './repositories/documents';
export { CircuitBreaker, type CircuitBreakerLimits } from './circuit-breaker';
export { ACTION_TABLE } from './action-table';
export {
  PartialRunIssuesError,
  CircuitBreakerTrippedError,
  PlanNotFoundError,
  PlanExpiredError,
  NotQuarantinedError,
  QuarantinedObjectNotFoundError,
  RestoreTargetExistsError,
} from './repair.errors';
export type * from './repair.types';
