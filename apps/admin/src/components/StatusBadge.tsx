import type { RunState, Status } from '@/lib/api/contract';

const STATUS_LABEL: Record<Status, string> = {
  synced: 'synced',
  out_of_sync: 'out of sync',
  missing: 'missing',
  error: 'error',
};

/** Status with colour *and* words: green synced, amber out of sync, red missing/error. */
export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge status-${status}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {STATUS_LABEL[status] ?? status}
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
