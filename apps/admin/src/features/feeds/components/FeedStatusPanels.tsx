'use client';

import { Panel } from '@/components/Panel';
import { formatDateTime, formatDuration, formatNumber } from '@/lib/format';
import { useFeeds } from '../api/queries';

const TITLES = { mongodb: 'MongoDB metadata', s3: 'S3 events' } as const;
const MODES: Record<string, string> = { change_stream: 'change stream', poll: 'polling by updated_at', webhook: 'webhook (bucket notifications)', off: 'off' };

/** Each change feed: how it follows the store, whether it is connected, its lag and last event. */
export function FeedStatusPanels() {
  const query = useFeeds();
  const feeds = query.data?.feeds ?? [];
  if (query.isLoading || query.error)
    return <Panel id="feeds" title="Change feeds" isLoading={query.isLoading} error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <div className="cards">
      {feeds.map((f) => (
        <Panel key={f.feed} id={`feed-${f.feed}`} title={TITLES[f.feed]} updatedAt={query.dataUpdatedAt}>
          <dl className="kv">
            <dt>Mode</dt>
            <dd>{MODES[f.mode] ?? f.mode}</dd>
            <dt>Connected</dt>
            <dd>
              <span
                className={`badge ${f.connected ? 'status-synced' : f.mode === 'off' ? 'status-unchecked' : 'status-error'}`}
                data-testid={`feed-${f.feed}-connected`}
              >
                <span className="dot" aria-hidden="true" />
                {f.connected ? 'connected' : f.mode === 'off' ? 'off' : 'disconnected'}
              </span>
            </dd>
            <dt>Last event</dt>
            <dd>{f.last_event_at ? formatDateTime(f.last_event_at) : 'none yet'}</dd>
            <dt>Lag</dt>
            <dd>{f.lag_ms === null ? '–' : formatDuration(f.lag_ms)}</dd>
            <dt>Changes seen</dt>
            <dd data-testid={`feed-${f.feed}-events`}>{formatNumber(f.events)}</dd>
            <dt>Checks scheduled</dt>
            <dd>{formatNumber(f.checks_scheduled)}</dd>
            <dt>Since</dt>
            <dd>{formatDateTime(f.since)}</dd>
            {f.last_error ? (
              <>
                <dt>Last error</dt>
                <dd className="wrap">{f.last_error}</dd>
              </>
            ) : null}
          </dl>
        </Panel>
      ))}
    </div>
  );
}
