'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useDeferredValue, useMemo, useState } from 'react';
import { AnalyzeButton } from '@/features/analysis/components/AnalyzeButton';
import { FixDialog } from '@/features/repair/components/FixDialog';
import { Panel } from '@/components/Panel';
import { StatusBadge } from '@/components/StatusBadge';
import { STATUSES, type DisplayStatus, type Status } from '@storesync/contract';
import { formatDateTime, formatNumber, humanize } from '@/lib/format';
import { useUsers } from '../api/queries';
import type { UserSyncRow } from '../api/types';
import { SelectionBar } from '@/components/SelectionBar';

type SortKey = 'user_id' | 'status' | 'total_files' | 'synced' | 'out_of_sync' | 'missing' | 'error' | 'open_issues' | 'last_checked_at';

// Worst first when sorting by status.
const SEVERITY: Record<DisplayStatus, number> = { error: 0, missing: 1, out_of_sync: 2, unchecked: 3, synced: 4 };

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'user_id', label: 'User' },
  { key: 'status', label: 'Status' },
  { key: 'total_files', label: 'Files', numeric: true },
  { key: 'synced', label: 'Synced', numeric: true },
  { key: 'out_of_sync', label: 'Out of sync', numeric: true },
  { key: 'missing', label: 'Missing', numeric: true },
  { key: 'error', label: 'Error', numeric: true },
  { key: 'open_issues', label: 'Open issues', numeric: true },
  { key: 'last_checked_at', label: 'Last checked' },
];

function compare(a: UserSyncRow, b: UserSyncRow, key: SortKey): number {
  if (key === 'status') return (SEVERITY[a.status] ?? 3) - (SEVERITY[b.status] ?? 3);
  if (key === 'user_id') return a.user_id.localeCompare(b.user_id);
  if (key === 'last_checked_at') return (a.last_checked_at ?? '').localeCompare(b.last_checked_at ?? '');
  // Never-counted users (null) sort below zero.
  return (a[key] ?? -1) - (b[key] ?? -1);
}

function isStatus(value: string | null): value is Status {
  return value !== null && (STATUSES as readonly string[]).includes(value);
}

export function UsersTable() {
  const params = useSearchParams();
  const initialStatus = params.get('status');
  const [status, setStatus] = useState<Status | ''>(isStatus(initialStatus) ? initialStatus : '');
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'status', descending: false });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [fixOpen, setFixOpen] = useState(false);

  const users = useUsers({ status: status || undefined, q: q || undefined });
  const rows = useMemo(() => {
    const all = users.data?.pages.flatMap((page) => page.users) ?? [];
    const sorted = [...all].sort((a, b) => compare(a, b, sort.key) || a.user_id.localeCompare(b.user_id));
    return sort.descending ? sorted.reverse() : sorted;
  }, [users.data, sort]);

  const selectedIds = rows.filter((row) => selected.has(row.user_id)).map((row) => row.user_id);
  const allSelected = rows.length > 0 && selectedIds.length === rows.length;

  const toggle = (userId: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(userId)) next.delete(userId);
      else next.add(userId);
      return next;
    });

  const sortBy = (key: SortKey) => setSort((previous) => ({ key, descending: previous.key === key ? !previous.descending : false }));

  return (
    <Panel
      id="users"
      title="Every user"
      updatedAt={users.dataUpdatedAt || null}
      error={users.error}
      onRetry={() => void users.refetch()}
      actions={<AnalyzeButton label="Analyze all users" testId="analyze-all" withDeepOption />}
    >
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(event) => setStatus(event.target.value as Status | '')}>
            <option value="">all</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {humanize(value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search users
          <input type="search" value={search} placeholder="user id" onChange={(event) => setSearch(event.target.value)} />
        </label>
      </form>

      <SelectionBar count={selectedIds.length} onClear={() => setSelected(new Set())}>
        <AnalyzeButton userIds={selectedIds} label="Analyze selected" className="secondary" testId="analyze-selected" />
        <button type="button" className="secondary" disabled={selectedIds.length === 0} onClick={() => setFixOpen(true)}>
          Fix selected (dry run first)
        </button>
      </SelectionBar>

      {users.isPending ? (
        <p className="panel-loading" role="status">
          Loading…
        </p>
      ) : rows.length === 0 ? (
        <p className="empty">No users match.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col" className="select-col">
                  <input
                    type="checkbox"
                    aria-label="Select all users shown"
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((row) => row.user_id)))}
                  />
                </th>
                {COLUMNS.map((column) => {
                  const active = sort.key === column.key;
                  return (
                    <th
                      key={column.key}
                      scope="col"
                      className={column.numeric ? 'num' : undefined}
                      aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                    >
                      <button type="button" className="sort-button" onClick={() => sortBy(column.key)}>
                        {column.label}
                        <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.user_id} data-testid="user-row" data-user-id={row.user_id} data-status={row.status} className={`row-${row.status}`}>
                  <td className="select-col">
                    <input type="checkbox" aria-label={`Select ${row.user_id}`} checked={selected.has(row.user_id)} onChange={() => toggle(row.user_id)} />
                  </td>
                  <th scope="row">
                    <Link href={`/users/view/?id=${encodeURIComponent(row.user_id)}`}>{row.user_id}</Link>
                  </th>
                  <td>
                    <StatusBadge status={row.status} />
                  </td>
                  <td className="num">{formatNumber(row.total_files)}</td>
                  <td className="num text-synced">{formatNumber(row.synced)}</td>
                  <td className="num text-out_of_sync">{formatNumber(row.out_of_sync)}</td>
                  <td className="num text-missing">{formatNumber(row.missing)}</td>
                  <td className="num text-error">{formatNumber(row.error)}</td>
                  <td className="num">
                    {row.open_issues > 0 ? <Link href={`/issues/?user_id=${encodeURIComponent(row.user_id)}`}>{formatNumber(row.open_issues)}</Link> : 0}
                  </td>
                  <td>{formatDateTime(row.last_checked_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {users.hasNextPage && (
        <button type="button" className="secondary load-more" disabled={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>
          {users.isFetchingNextPage ? 'Loading…' : 'Load more users'}
        </button>
      )}
      <FixDialog
        open={fixOpen}
        selection={{ user_ids: selectedIds }}
        scopeLabel={`${selectedIds.length} selected user${selectedIds.length === 1 ? '' : 's'}`}
        onClose={() => setFixOpen(false)}
      />
    </Panel>
  );
}
