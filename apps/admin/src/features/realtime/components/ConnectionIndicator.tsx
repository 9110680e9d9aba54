'use client';

import { useConnectionState } from '../connection';

const LABEL = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
} as const;

/** The live connection state, always visible in the header. */
export function ConnectionIndicator() {
  const connection = useConnectionState();
  const detail =
    connection.status === 'connected'
      ? 'Updates arrive as they happen'
      : `Refreshing every 30 s until the live connection is back${connection.error ? ` (${connection.error})` : ''}`;
  return (
    <div className={`connection connection-${connection.status}`} role="status" data-testid="connection-state" data-state={connection.status} title={detail}>
      <span className="dot" aria-hidden="true" />
      <span>
        {LABEL[connection.status]}
        {connection.status === 'reconnecting' && connection.attempt > 0 ? ` (attempt ${connection.attempt})` : ''}
      </span>
      <span className="visually-hidden">. {detail}</span>
    </div>
  );
}
