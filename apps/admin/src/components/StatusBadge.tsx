import type { DisplayStatus, RunState } from '@storesync/contract';

const STATUS_LABEL: Record<DisplayStatus, string> = {
  synced: 'synced',
  out_of_sync: 'out of sync',
  missing: 'missing',
  error: 'error',
  unchecked: 'not checked yet',
};

/** Status with colour *and* words: green synced, amber out of sync, red missing/error. */
export function StatusBadge({ status }: { status: DisplayStatus }) {
  const known = status in STATUS_LABEL;
  return (
    <span className={`badge status-${known ? status : 'unchecked'}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {known ? STATUS_LABEL[status] : String(status)}
    </span>
  );
}

const RUN_STATE_CLASS: Record<RunState, string> = {
  running: 'status-running',
  completed: 'status-synced',
  partial: 'status-out_of_sync',
  failed: 'status-error',
};

export function RunStateBadge({ state }: { state: RunState }) {
  return (
    <span className={`badge ${RUN_STATE_CLASS[state] ?? ''}`} data-state={state}>
      <span className="dot" aria-hidden="true" />
      {state}
    </span>
  );
}
