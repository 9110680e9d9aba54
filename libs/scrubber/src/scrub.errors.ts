import { DomainError } from '@storesync/core';

/** A scrubber run is going (here, or on another instance holding the run lock). */
export class ScrubRunningError extends DomainError {
  constructor(readonly runId: string | null) {
    super('conflict', runId ? `a scrubber run is already going: ${runId}` : 'another instance is running the scrubber', runId ? { run_id: runId } : {});
  }
}
