'use client';

import { Panel } from '@/components/Panel';
import { errorMessage } from '@/lib/api/client';
import { formatBytes } from '@/lib/format';
import { useRestoreQuarantined } from '../api/mutations';
import { useQuarantine } from '../api/queries';

/** Objects moved aside by repairs, until the daily purge; each can be put back. */
export function QuarantineTable() {
  const query = useQuarantine();
  const restore = useRestoreQuarantined();
  const objects = query.data?.pages.flatMap((page) => page.objects) ?? [];
  return (
    <Panel
      id="quarantine"
      title="Quarantine"
      isLoading={query.isLoading}
      error={query.error}
      onRetry={() => void query.refetch()}
      updatedAt={query.dataUpdatedAt}
    >
      {restore.isError ? (
        <p className="panel-error" role="alert">
          Could not restore: {errorMessage(restore.error)}
        </p>
      ) : null}
      {restore.isSuccess ? (
        <p className="callout" role="status">
          Restored to <span className="mono">{restore.data.restored_key}</span>.
        </p>
      ) : null}
      {objects.length === 0 ? (
        <p className="empty">Nothing is in quarantine.</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact" aria-label="Quarantined objects">
            <thead>
              <tr>
                <th>Original key</th>
                <th>Quarantined</th>
                <th>Purged after</th>
                <th className="num">Size</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {objects.map((o) => (
                <tr key={o.key} data-testid="quarantine-row">
                  <td className="mono small wrap">{o.original_key}</td>
                  <td>{o.quarantined_on}</td>
                  <td>{o.purge_after}</td>
                  <td className="num">{formatBytes(o.size)}</td>
                  <td>
                    <button type="button" className="small-button" disabled={restore.isPending} onClick={() => restore.mutate(o.key)}>
                      Restore
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage ? (
        <button type="button" onClick={() => void query.fetchNextPage()}>
          Load more
        </button>
      ) : null}
    </Panel>
  );
}
