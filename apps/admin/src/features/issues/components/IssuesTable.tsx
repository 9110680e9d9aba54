'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useDeferredValue, useMemo, useState } from 'react';
import { FixDialog } from '@/features/repair/components/FixDialog';
import { Panel } from '@/components/Panel';
import { errorMessage } from '@/lib/api/client';
import { ISSUE_TYPES, type IssueType } from '@storesync/contract';
import { formatDateTime, humanize } from '@/lib/format';
import { useExportIssuesCsv } from '../api/mutations';
import { useIssues } from '../api/queries';
import type { IssuesFilter } from '../api/types';
import { SelectionBar } from '@/components/SelectionBar';

type StatusFilter = 'open' | 'resolved' | '';

function isIssueType(value: string | null): value is IssueType {
  return value !== null && (ISSUE_TYPES as readonly string[]).includes(value);
}

/** Issues, filtered by type, user and open/resolved; select some → dry-run fix → confirm. */
export function IssuesTable() {
  const params = useSearchParams();
  const initialType = params.get('type');
  const [type, setType] = useState<IssueType | ''>(isIssueType(initialType) ? initialType : '');
  const [userInput, setUserInput] = useState(params.get('user_id') ?? '');
  const userId = useDeferredValue(userInput.trim());
  const [status, setStatus] = useState<StatusFilter>('open');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [fixOpen, setFixOpen] = useState(false);

  const filter: IssuesFilter = useMemo(() => ({ type: type || undefined, user_id: userId || undefined, status: status || undefined }), [type, userId, status]);
  const issues = useIssues(filter);
  const exportCsv = useExportIssuesCsv();
  const rows = useMemo(() => issues.data?.pages.flatMap((page) => page.issues) ?? [], [issues.data]);
  const openRows = rows.filter((issue) => issue.status === 'open');
  const selectedIds = openRows.filter((issue) => selected.has(issue.id)).map((issue) => issue.id);
  const allSelected = openRows.length > 0 && selectedIds.length === openRows.length;

  const toggle = (id: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Panel id="issues" title="Issues" updatedAt={issues.dataUpdatedAt || null} error={issues.error} onRetry={() => void issues.refetch()}>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          Type
          <select value={type} onChange={(event) => setType(event.target.value as IssueType | '')} data-testid="filter-type">
            <option value="">all types</option>
            {ISSUE_TYPES.map((value) => (
              <option key={value} value={value}>
                {humanize(value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          User
          <input type="search" value={userInput} placeholder="user id" onChange={(event) => setUserInput(event.target.value)} data-testid="filter-user" />
        </label>
        <label>
          State
          <select value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)} data-testid="filter-status">
            <option value="open">open</option>
            <option value="resolved">resolved</option>
            <option value="">all</option>
          </select>
        </label>
        <button type="button" className="secondary" disabled={exportCsv.isPending} onClick={() => exportCsv.mutate(filter)}>
          {exportCsv.isPending ? 'Exporting…' : 'Export CSV'}
        </button>
        {exportCsv.isError && (
          <span role="alert" className="inline-error">
            {errorMessage(exportCsv.error)}
          </span>
        )}
      </form>

      <SelectionBar count={selectedIds.length} onClear={() => setSelected(new Set())}>
        <button type="button" className="primary" disabled={selectedIds.length === 0} onClick={() => setFixOpen(true)} data-testid="fix-selected">
          Fix selected (dry run first)
        </button>
      </SelectionBar>

      {issues.isPending ? (
        <p className="panel-loading" role="status">
          Loading…
        </p>
      ) : rows.length === 0 ? (
        <p className="empty">No issues match these filters.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="issues-table">
            <thead>
              <tr>
                <th scope="col" className="select-col">
                  <input
                    type="checkbox"
                    aria-label="Select all open issues shown"
                    checked={allSelected}
                    disabled={openRows.length === 0}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(openRows.map((issue) => issue.id)))}
                  />
                </th>
                <th scope="col">Type</th>
                <th scope="col">User</th>
                <th scope="col">File</th>
                <th scope="col">Store</th>
                <th scope="col">Suggested action</th>
                <th scope="col">First detected</th>
                <th scope="col">Last seen</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((issue) => (
                <tr key={issue.id} data-testid="issue-row" data-issue-id={issue.id} data-issue-type={issue.type} data-state={issue.status}>
                  <td className="select-col">
                    <input
                      type="checkbox"
                      aria-label={`Select ${humanize(issue.type)} issue of ${issue.file_key ?? issue.file_id ?? issue.user_id}`}
                      checked={selected.has(issue.id)}
                      disabled={issue.status !== 'open'}
                      onChange={() => toggle(issue.id)}
                    />
                  </td>
                  <th scope="row">{humanize(issue.type)}</th>
                  <td>{issue.user_id ? <Link href={`/users/view/?id=${encodeURIComponent(issue.user_id)}`}>{issue.user_id}</Link> : '—'}</td>
                  <td className="mono small wrap">{issue.file_key ?? issue.file_id ?? '—'}</td>
                  <td>{issue.store}</td>
                  <td>{issue.suggested_action}</td>
                  <td>{formatDateTime(issue.first_detected_at)}</td>
                  <td>{formatDateTime(issue.last_seen_at)}</td>
                  <td>
                    {issue.status === 'resolved' ? (
                      <span className="badge status-synced" title={issue.resolution}>
                        <span className="dot" aria-hidden="true" />
                        resolved {formatDateTime(issue.resolved_at)}
                      </span>
                    ) : issue.deferred ? (
                      <span
                        className="badge status-unchecked"
                        data-testid="issue-deferred"
                        title="Its file is inside the grace window (uploaded or touched just now): kept open, judged again after it"
                      >
                        <span className="dot" aria-hidden="true" />
                        deferred until {formatDateTime(issue.deferred_until)}
                      </span>
                    ) : (
                      <span className="badge status-out_of_sync">
                        <span className="dot" aria-hidden="true" />
                        open
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {issues.hasNextPage && (
        <button type="button" className="secondary load-more" disabled={issues.isFetchingNextPage} onClick={() => void issues.fetchNextPage()}>
          {issues.isFetchingNextPage ? 'Loading…' : 'Load more issues'}
        </button>
      )}
      <FixDialog
        open={fixOpen}
        selection={{ issue_ids: selectedIds }}
        scopeLabel={`${selectedIds.length} selected issue${selectedIds.length === 1 ? '' : 's'}`}
        onClose={() => {
          setFixOpen(false);
          setSelected(new Set());
        }}
      />
    </Panel>
  );
}
