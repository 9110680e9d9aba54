'use client';

import { Panel } from '@/components/Panel';
import { errorMessage } from '@/lib/api/client';
import { humanize } from '@/lib/format';
import { useSendTest } from '../api/mutations';
import { useChannels } from '../api/queries';

/** The configured channels (NOTIFY_CHANNELS) and what each is told (NOTIFY_RULES). */
export function ChannelsPanel() {
  const query = useChannels();
  const test = useSendTest();
  const channels = query.data?.channels ?? [];
  return (
    <Panel id="channels" title="Channels" isLoading={query.isLoading} error={query.error} onRetry={() => void query.refetch()}>
      {test.isError ? <p className="panel-error">Could not queue the test: {errorMessage(test.error)}</p> : null}
      {test.isSuccess ? (
        <p className="callout" role="status">
          Test message queued for {test.data.channel}.
        </p>
      ) : null}
      {channels.length === 0 ? (
        <p className="empty">No channel is configured (NOTIFY_CHANNELS).</p>
      ) : (
        <table className="table compact" aria-label="Notification channels">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Target</th>
              <th>Told about</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <tr key={c.name} data-testid="channel-row">
                <th scope="row">{c.name}</th>
                <td>{c.kind}</td>
                <td className="mono small wrap">{c.target}</td>
                <td>
                  {c.rules.length === 0 ? <span className="muted">no rule</span> : null}
                  {c.rules.flatMap((r) =>
                    r.on.map((on) => (
                      <span key={`${r.index}-${on}`} className="tag">
                        {humanize(on)}
                        {on === 'issues_detected' && r.threshold > 1 ? ` ≥ ${r.threshold}` : ''}
                      </span>
                    )),
                  )}
                </td>
                <td>
                  <button type="button" className="small-button" disabled={test.isPending} onClick={() => test.mutate(c.name)}>
                    Send test
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
