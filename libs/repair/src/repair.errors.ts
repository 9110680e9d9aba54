import { DomainError } from '@storesync/core';

/** A fix asked to act on issues found by a run that could not read every store. */
export class PartialRunIssuesError extends DomainError {
  constructor(readonly issueIds: string[]) {
    super(
      'partial_run',
      `refused: ${issueIds.length} selected issue(s) came from a partial run (a store could not be read), ` +
        `so they may not be real; run a complete analysis first. Issues: ${issueIds.slice(0, 10).join(', ')}` +
        (issueIds.length > 10 ? ', …' : ''),
      { reason: 'partial_run', issue_ids: issueIds },
    );
  }
}

/** The plan would remove too large a share of a store (DESIGN.md safety rule 7). */
export class CircuitBreakerTrippedError extends DomainError {
  constructor(reason: string) {
    super('circuit_breaker', reason, { reason: 'circuit_breaker' });
  }
}

export class PlanNotFoundError extends DomainError {
  constructor(readonly planId: string) {
    super('not_found', `plan ${planId} not found`);
  }
}

export class RepairNotFoundError extends DomainError {
  constructor(readonly repairId: string) {
    super('not_found', `repair ${repairId} not found`);
  }
}

export class PlanExpiredError extends DomainError {
  constructor(
    readonly planId: string,
    hours: number,
  ) {
    super('plan_expired', `plan ${planId} is older than ${hours} h: the stores may have changed since, make a new dry run`);
  }
}

/** A restore asked for a key that is not a quarantined object. */
export class NotQuarantinedError extends DomainError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super('validation_failed', `${key}: ${reason}`, { fields: [{ field: 'key', message: `${key}: ${reason}` }] });
  }
}

export class QuarantinedObjectNotFoundError extends DomainError {
  constructor(readonly key: string) {
    super('not_found', `no quarantined object ${key}`);
  }
}

/** Restoring would overwrite an object that is back at its original key. */
export class RestoreTargetExistsError extends DomainError {
  constructor(readonly key: string) {
    super('conflict', `an object already exists at ${key}; move it away first, a restore never overwrites`);
  }
}
