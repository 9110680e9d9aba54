'use client';

import { useState } from 'react';
import { Panel } from '@/components/Panel';
import { formatDateTime, humanize } from '@/lib/format';
import { useAuditTrail } from '../api/queries';
import { ACTORS, type AuditFilter } from '../api/types';

const RESULT_CLASS: Record<string, string> = { done: 'status-synced', planned: 'status-running', skipped: 'status-unchecked', failed: 'status-error' };

/** Every planned and executed repair action, filtered by user, file, repair and actor. */
export function AuditTrail() {
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const query = useAuditTrail(filter);
  const actions = query.data?.pages.flatMap((page) => page.actions) ?? [];
  const field = (name: keyof AuditFilter, label: string) => (
    <label>
      {label}
      <input type="text" value={draft[name] ?? ''} onChange={(e) => setDraft({ ...draft, [name]: e.target.value || undefined })} />
    </label>
  );
  return (
    <Panel id="audit" title="Audit trail" isLoading={query.isLoading} error={query.error} onRetry={() => void query.refetch()} updatedAt={query.dataUpdatedAt}>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(Object.fromEntries(Object.entries(draft).filter(([, v]) => v)));
        }}
      >
        {field('user_id', 'User')}
        {field('file_id', 'File id')}
        {field('repair_id', 'Repair id')}
        <label>
          Actor
          <select value={draft.actor ?? ''} onChange={(e) => setDraft({ ...draft, actor: e.target.value || undefined })}>
            <option value="">any</option>
            {ACTORS.map((actor) => (
              <option key={actor} value={actor}>
                {actor}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Filter
        </button>
      </form>
      {actions.length === 0 ? (
        <p className="empty">No action matches.</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact" aria-label="Audit trail">
            <thead>
              <tr>
                <th>When</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Result</th>
                <th>User</th>
                <th>Target</th>
                <th>Repair</th>
              </tr>
            </thead>
            <tbody>
              {actions.map((a) => (
                <tr key={a.id} data-testid="audit-row">
                  <td className="small">{formatDateTime(a.at)}</td>
                  <td>
                    <span className="tag">{a.actor}</span>
                  </td>
                  <td>
                    {humanize(a.action)}
                    {a.dry_run ? <span className="muted small"> (dry run)</span> : null}
                    {a.destructive ? <span className="tag">destructive</span> : null}
                  </td>
                  <td>
                    <span className={`badge ${RESULT_CLASS[a.result] ?? 'status-unchecked'}`}>{a.result}</span>
                    {a.reason || a.error ? <div className="small muted wrap">{a.error ?? a.reason}</div> : null}
                  </td>
                  <td>{a.user_id ?? '–'}</td>
                  <td className="mono small wrap">{a.target}</td>
                  <td className="mono small">{a.repair_id.slice(0, 8)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage ? (
        <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          Load more
        </button>
      ) : null}
    </Panel>
  );
}
