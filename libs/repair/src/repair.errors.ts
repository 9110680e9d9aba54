/** A fix asked to act on issues found by a run that could not read every store. */
export class PartialRunIssuesError extends Error {
  constructor(readonly issueIds: string[]) {
    super(
      `refused: ${issueIds.length} selected issue(s) came from a partial run (a store could not be read), ` +
        `so they may not be real; run a complete analysis first. Issues: ${issueIds.slice(0, 10).join(', ')}` +
        (issueIds.length > 10 ? ', …' : ''),
    );
    this.name = 'PartialRunIssuesError';
  }
}

/** The plan would remove too large a share of a store (DESIGN.md safety rule 7). */
export class CircuitBreakerTrippedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CircuitBreakerTrippedError';
  }
}

export class PlanNotFoundError extends Error {
  constructor(readonly planId: string) {
    super(`plan ${planId} not found`);
    this.name = 'PlanNotFoundError';
  }
}

export class PlanExpiredError extends Error {
  constructor(readonly planId: string, hours: number) {
    super(`plan ${planId} is older than ${hours} h: the stores may have changed since, make a new dry run`);
    this.name = 'PlanExpiredError';
  }
}

/** A restore asked for a key that is not a quarantined object. */
export class NotQuarantinedError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`${key}: ${reason}`);
    this.name = 'NotQuarantinedError';
  }
}

export class QuarantinedObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no quarantined object ${key}`);
    this.name = 'QuarantinedObjectNotFoundError';
  }
}

/** Restoring would overwrite an object that is back at its original key. */
export class RestoreTargetExistsError extends Error {
  constructor(readonly key: string) {
    super(`an object already exists at ${key}; move it away first, a restore never overwrites`);
    this.name = 'RestoreTargetExistsError';
  }
}
