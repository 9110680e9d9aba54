'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useCheckFile } from '@/features/analysis/api/mutations';
import { AnalyzeButton } from '@/features/analysis/components/AnalyzeButton';
import { FixDialog } from '@/features/repair/components/FixDialog';
import type { FixSelection } from '@/features/repair/api/types';
import { Panel } from '@/components/Panel';
import { StatusBadge } from '@/components/StatusBadge';
import { StoreBadges } from '@/components/StoreBadges';
import { errorMessage, StoreSyncError } from '@/lib/api/client';
import { STATUSES, type FileStatus } from '@storesync/contract';
import { formatBytes, formatDateTime, formatNumber, humanize } from '@/lib/format';
import { useUserStatus } from '../api/queries';

interface FixTarget {
  selection: FixSelection;
  label: string;
}

function FileRow({ file, userId, onFix }: { file: FileStatus; userId: string; onFix: (target: FixTarget) => void }) {
  const check = useCheckFile(userId);
  const openIssues = file.issues.filter((issue) => issue.status === 'open');
  return (
    <tr data-testid="file-row" data-file-id={file.file_id} data-status={file.status} className={`row-${file.status}`}>
      <th scope="row" className="file-cell">
        <span className="file-name">{file.file_name || '(no name)'}</span>
        <span className="mono small muted wrap">{file.file_key}</span>
      </th>
      <td>
        <StatusBadge status={file.status} />
      </td>
      <td>
        <StoreBadges stores={file.stores} />
      </td>
      <td className="num">{formatBytes(file.file_size)}</td>
      <td>
        <time dateTime={file.updated_at}>{formatDateTime(file.updated_at)}</time>
      </td>
      <td>
        {openIssues.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="issue-list">
            {openIssues.map((issue) => (
              <li key={issue.id} data-testid="file-issue" data-issue-type={issue.type}>
                <strong>{humanize(issue.type)}</strong> <span className="muted small">({issue.store})</span>
                <div className="small">→ {issue.suggested_action}</div>
                <div className="muted small">since {formatDateTime(issue.first_detected_at)}</div>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="secondary small-button"
          disabled={check.isPending}
          onClick={() => check.mutate(file.file_id)}
          aria-label={`Check ${file.file_name} now`}
        >
          {check.isPending ? 'Checking…' : 'Check'}
        </button>
        <button
          type="button"
          className="secondary small-button"
          disabled={openIssues.length === 0}
          onClick={() => onFix({ selection: { issue_ids: openIssues.map((issue) => issue.id) }, label: file.file_name })}
          aria-label={`Fix ${file.file_name} (dry run first)`}
        >
          Fix…
        </button>
        {check.isError && (
          <div role="alert" className="inline-error small">
            {errorMessage(check.error)}
          </div>
        )}
        {check.isSuccess && (
          <div role="status" className="muted small">
            checked {formatDateTime(Date.now())}
          </div>
        )}
      </td>
    </tr>
  );
}

/** One user's files, each with its three stores, status and issues; per-file check and fix. */
export function UserDetail({ userId }: { userId: string }) {
  const status = useUserStatus(userId);
  const [fixTarget, setFixTarget] = useState<FixTarget | null>(null);
  const first = status.data?.pages[0];
  const files = status.data?.pages.flatMap((page) => page.files) ?? [];
  const notFound = StoreSyncError.is(status.error, 'not_found');

  const panelState = {
    updatedAt: status.dataUpdatedAt || null,
    isLoading: status.isPending && userId !== '',
    error: notFound ? null : status.error,
    onRetry: () => void status.refetch(),
  };

  if (!userId)
    return (
      <p className="empty">
        No user chosen. <Link href="/users/">Pick one from the list.</Link>
      </p>
    );

  return (
    <>
      <Panel
        id="user-summary"
        title={`User ${userId}`}
        {...panelState}
        actions={
          <>
            <AnalyzeButton userIds={[userId]} label="Analyze this user" testId="analyze-user" withDeepOption />
            <button
              type="button"
              className="secondary"
              onClick={() => setFixTarget({ selection: { user_id: userId }, label: `all issues of ${userId}` })}
              disabled={!first || files.every((file) => file.issues.every((issue) => issue.status !== 'open'))}
            >
              Fix user (dry run first)
            </button>
          </>
        }
      >
        {notFound && <p className="empty">This user has no files.</p>}
        {first && (
          <div className="user-summary" data-testid="user-summary" data-status={first.status}>
            <StatusBadge status={first.status} />
            <dl className="facts inline">
              <div>
                <dt>Files</dt>
                <dd>{formatNumber(first.summary.total_files)}</dd>
              </div>
              {STATUSES.map((s) => (
                <div key={s}>
                  <dt>{humanize(s)}</dt>
                  <dd className={`text-${s}`}>{formatNumber(first.summary[s])}</dd>
                </div>
              ))}
              <div>
                <dt>Last checked</dt>
                <dd>{formatDateTime(first.last_checked_at)}</dd>
              </div>
            </dl>
          </div>
        )}
      </Panel>

      {!notFound && (
        <Panel id="user-files" title="Files" {...panelState}>
          {files.length === 0 ? (
            <p className="empty">No files.</p>
          ) : (
            <div className="table-scroll">
              <table className="table" data-testid="files-table">
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Status</th>
                    <th scope="col">Stores</th>
                    <th scope="col" className="num">
                      Size
                    </th>
                    <th scope="col">Updated</th>
                    <th scope="col">Issues and suggested action</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {files.map((file) => (
                    <FileRow key={file.file_id} file={file} userId={userId} onFix={setFixTarget} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {status.hasNextPage && (
            <button type="button" className="secondary load-more" disabled={status.isFetchingNextPage} onClick={() => void status.fetchNextPage()}>
              {status.isFetchingNextPage ? 'Loading…' : 'Load more files'}
            </button>
          )}
        </Panel>
      )}

      <FixDialog open={fixTarget !== null} selection={fixTarget?.selection ?? {}} scopeLabel={fixTarget?.label ?? ''} onClose={() => setFixTarget(null)} />
    </>
  );
}
