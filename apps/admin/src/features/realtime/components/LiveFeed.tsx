'use client';

import Link from 'next/link';
import { Panel } from '@/components/Panel';
import type { SyncEvent } from '@storesync/contract';
import { formatTime, humanize } from '@/lib/format';
import { useConnectionState, useEventFeed } from '../connection';

function describe(event: SyncEvent): string {
  switch (event.type) {
    case 'analysis.progress':
      return `${event.data.processed} / ${event.data.total_estimate || '?'} processed`;
    case 'analysis.completed':
      return `${event.data.state} in ${event.data.duration_ms} ms`;
    case 'sync.issue.detected':
    case 'sync.issue.resolved':
      return humanize(event.data.type);
    case 'repair.action':
      return `${event.data.action} ${event.data.result}`;
    case 'file.uploaded':
      return event.data.file_name;
    default:
      return '';
  }
}

/** The pushed events, newest first, as they arrive. */
export function LiveFeed() {
  const events = useEventFeed();
  const connection = useConnectionState();
  return (
    <Panel id="live-feed" title="Live events" updatedAt={events[0] ? events[0].at : connection.since || null}>
      {events.length === 0 ? (
        <p className="empty">No events since this page opened.</p>
      ) : (
        <ol className="feed" role="log" aria-label="Live events" data-testid="live-feed">
          {events.map((event) => (
            <li key={`${event.seq}-${event.type}`} className={`feed-item feed-${event.type.split('.')[0]}`} data-type={event.type}>
              <time dateTime={event.at}>{formatTime(event.at)}</time>
              <span className="feed-type">{event.type}</span>
              {event.user_id ? <Link href={`/users/view/?id=${encodeURIComponent(event.user_id)}`}>{event.user_id}</Link> : <span />}
              <span className="feed-detail">{describe(event)}</span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
