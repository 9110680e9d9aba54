'use client';

import { useEffect, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { createPanelClient, statusOf, type LiveState, type SyncPanelClient } from './panel-client';
import { ACTION_WORDS, allowedRepair, countByStatus, formatBytes, ISSUE_WORDS, overallStatus, relativeTime, STATUS_WORDS, STORE_WORDS } from './panel-model';
import { PANEL_CSS } from './styles';
import { useSyncPanel } from './use-sync-panel';
import { STORES, type DisplayStatus, type FileStatus, type Issue, type RepairActionName, type Store } from './wire';

export interface SyncStatusPanelProps {
  /** A user token from `POST /api/sync/tokens` (made by your backend with the admin token). */
  token: string;
  /** Where storesync answers, e.g. `https://sync.example.com`; default: this page's origin. */
  baseUrl?: string;
  /** `auto` (default) follows the reader's system setting. */
  theme?: 'light' | 'dark' | 'auto';
  title?: string;
  className?: string;
  /** Inline style, e.g. `{ '--ssp-accent': '#7c3aed' }` to theme one panel. */
  style?: CSSProperties & Record<`--ssp-${string}`, string>;
  /** Called when storesync refuses the token (expired or revoked): hand the panel a new one. */
  onUnauthorized?: () => void;
  /** Another client implementing the panel's needs (tests, a proxy); default: one for `token` and `baseUrl`. */
  client?: SyncPanelClient;
}

const LIVE_WORDS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — updates paused',
};

/**
 * The Sync Status Panel: one user's files with where each is stored (MongoDB, S3, Qdrant),
 * its status in colour and words, open issues with what to do, live updates, and the repairs
 * the user may ask for, each confirmed first.
 */
export function SyncStatusPanel({
  token,
  baseUrl = '',
  theme = 'auto',
  title = 'Sync status of your files',
  className,
  style,
  onUnauthorized,
  client,
}: SyncStatusPanelProps) {
  const panelClient = useMemo(() => client ?? createPanelClient({ token, baseUrl }), [client, token, baseUrl]);
  const { state, refresh, checkFile, repair } = useSyncPanel(panelClient, onUnauthorized);
  const titleId = useId();
  const now = useNow(30_000);
  const counts = countByStatus(state.files);
  const overall = overallStatus(state.files, state.status);
  const active = state.files.filter((f) => f.is_active).length;

  return (
    <section className={`ssp${className ? ` ${className}` : ''}`} data-theme={theme} aria-labelledby={titleId} aria-busy={state.loading} style={style}>
      <style>{PANEL_CSS}</style>
      <header className="ssp-header">
        <h2 className="ssp-title" id={titleId}>
          {title}
        </h2>
        {!state.loading && !state.error && <StatusBadge status={overall} testId="ssp-overall" />}
        <span className="ssp-spacer" />
        <span className="ssp-live" data-live={state.live} data-testid="ssp-live">
          {LIVE_WORDS[state.live]}
        </span>
        <button type="button" onClick={() => void refresh()} aria-label="Refresh the list">
          Refresh
        </button>
      </header>
      {!state.loading && !state.error && (
        <p className="ssp-summary" data-testid="ssp-summary">
          {active === 0 ? 'No files yet.' : summaryWords(active, counts)} Last checked <TimeAgo iso={state.lastCheckedAt} now={now} />.
          {state.fetchedAt !== null && (
            <>
              {' '}
              Updated <TimeAgo iso={new Date(state.fetchedAt).toISOString()} now={now} />.
            </>
          )}
        </p>
      )}
      {state.loading && <p className="ssp-empty">Loading your files…</p>}
      {state.error && (
        <div className="ssp-alert" role="alert" data-testid="ssp-error">
          {errorWords(state.error)}
        </div>
      )}
      {state.files.length > 0 && (
        <ul className="ssp-files" aria-label="Your files">
          {problemsFirst(state.files).map((file) => (
            <FileRow key={file.file_id} file={file} now={now} allowed={state.allowedRepairs} onCheck={checkFile} onRepair={repair} />
          ))}
        </ul>
      )}
      {state.truncated && <p className="ssp-empty">Showing the first {state.files.length} files.</p>}
      <div className="ssp-visually-hidden" aria-live="polite" data-testid="ssp-announcement">
        {state.announcement}
      </div>
    </section>
  );
}

function FileRow({
  file,
  now,
  allowed,
  onCheck,
  onRepair,
}: {
  file: FileStatus;
  now: number;
  allowed: RepairActionName[];
  onCheck: (fileId: string) => Promise<void>;
  onRepair: (issueId: string) => Promise<void>;
}) {
  const nameId = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (work: () => Promise<string | void>, done: string) => {
    setBusy(true);
    setMessage(null);
    try {
      const text = await work();
      setMessage({ ok: true, text: typeof text === 'string' ? text : done });
    } catch (error) {
      setMessage({ ok: false, text: errorWords(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="ssp-file" data-file-id={file.file_id} data-status={file.status} aria-labelledby={nameId} data-testid="ssp-file">
      <div className="ssp-file-head">
        <h3 className="ssp-file-name" id={nameId}>
          {file.file_name}
        </h3>
        <StatusBadge status={file.status} />
        {!file.is_active && <span className="ssp-badge ssp-status-unchecked">Deleted</span>}
        <span className="ssp-spacer" />
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(() => onCheck(file.file_id), 'Checked just now.')}
          aria-label={`Check ${file.file_name} again`}
        >
          {busy ? 'Working…' : 'Check again'}
        </button>
      </div>
      <p className="ssp-meta">
        {formatBytes(file.file_size)} · updated <TimeAgo iso={file.updated_at} now={now} />
      </p>
      <StoreBadges stores={file.stores} />
      {file.issues.length > 0 && (
        <ul className="ssp-issues" aria-label={`Issues of ${file.file_name}`}>
          {file.issues.map((issue) => (
            <IssueItem
              key={issue.id}
              issue={issue}
              now={now}
              action={allowedRepair(issue, allowed)}
              busy={busy}
              onRepair={(id, label) =>
                run(async () => {
                  await onRepair(id);
                  return `${label} done: storesync checked the file again.`;
                }, '')
              }
            />
          ))}
        </ul>
      )}
      {message && (
        <p className={message.ok ? 'ssp-note' : 'ssp-alert'} role={message.ok ? 'status' : 'alert'} data-testid="ssp-file-message">
          {message.text}
        </p>
      )}
    </li>
  );
}

function IssueItem({
  issue,
  now,
  action,
  busy,
  onRepair,
}: {
  issue: Issue;
  now: number;
  action: RepairActionName | null;
  busy: boolean;
  onRepair: (issueId: string, label: string) => Promise<void>;
}) {
  const words = ISSUE_WORDS[issue.type] ?? { title: issue.type.replace(/_/g, ' '), meaning: '' };
  const actionWords = action ? ACTION_WORDS[action] : undefined;
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const confirmId = useId();
  const close = () => {
    setConfirming(false);
    // Back where the reader was: the button that opened the question.
    requestAnimationFrame(() => opener.current?.focus());
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  };
  return (
    <li className="ssp-issue" data-issue-type={issue.type} data-testid="ssp-issue">
      <p>
        <span className="ssp-issue-title">{words.title}.</span> {words.meaning}
      </p>
      <p className="ssp-suggested">
        What to do: {issue.suggested_action}
        {issue.from_partial_run ? ' (found while a store could not be read: check again first)' : ''} · found{' '}
        <TimeAgo iso={issue.first_detected_at} now={now} />
        {issue.deferred && (
          <>
            {' '}
            · the file changed recently, so this is judged again
            {issue.deferred_until ? (
              <>
                {' '}
                after <time dateTime={issue.deferred_until}>{new Date(issue.deferred_until).toLocaleTimeString()}</time>
              </>
            ) : (
              ''
            )}
          </>
        )}
      </p>
      {actionWords && !confirming && (
        <div className="ssp-actions">
          <button type="button" ref={opener} disabled={busy} onClick={() => setConfirming(true)} aria-haspopup="dialog">
            {actionWords.label}
          </button>
        </div>
      )}
      {actionWords && confirming && (
        <div className="ssp-confirm" role="alertdialog" aria-modal="false" aria-labelledby={`${confirmId}-q`} onKeyDown={onKeyDown}>
          <p id={`${confirmId}-q`}>{actionWords.confirm}</p>
          <div className="ssp-actions">
            <button
              type="button"
              className="ssp-primary"
              autoFocus
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                void onRepair(issue.id, actionWords.label);
              }}
            >
              {actionWords.label} now
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

function StatusBadge({ status, testId }: { status: DisplayStatus; testId?: string }) {
  const known = status in STATUS_WORDS;
  const icon = status === 'synced' ? '✓' : status === 'out_of_sync' ? '≠' : status === 'missing' ? '✗' : status === 'error' ? '!' : '…';
  return (
    <span className={`ssp-badge ssp-status-${known ? status : 'unchecked'}`} data-status={status} data-testid={testId}>
      <span className="ssp-badge-icon" aria-hidden="true">
        {icon}
      </span>
      {known ? STATUS_WORDS[status] : status}
    </span>
  );
}

function StoreBadges({ stores }: { stores: Partial<Record<Store, boolean | null>> }) {
  return (
    <ul className="ssp-stores" aria-label="Where the file is stored">
      {STORES.map((store) => {
        const present = stores[store];
        const state = present === true ? 'present' : present === false ? 'absent' : 'unknown';
        const words = STORE_WORDS[store];
        const said = state === 'present' ? 'present' : state === 'absent' ? 'missing' : 'not known';
        return (
          <li key={store} className="ssp-store" data-store={store} data-state={state} title={`${words.name} (${words.holds}): ${said}`}>
            <span aria-hidden="true">{state === 'present' ? '✓' : state === 'absent' ? '✗' : '?'} </span>
            {words.name}
            <span className="ssp-visually-hidden">
              {' '}
              ({words.holds}): {said}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function TimeAgo({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <>never</>;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso, now)}
    </time>
  );
}

/** A clock that ticks, so "3 min ago" stays true without refetching. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const STATUS_ORDER: Record<DisplayStatus, number> = { missing: 0, error: 1, out_of_sync: 2, unchecked: 3, synced: 4 };

/** Files needing attention on top; deleted ones last; otherwise by name. */
function problemsFirst(files: FileStatus[]): FileStatus[] {
  const rank = (f: FileStatus) => (f.is_active ? 0 : 10) + (STATUS_ORDER[f.status] ?? 3);
  return [...files].sort((a, b) => rank(a) - rank(b) || a.file_name.localeCompare(b.file_name));
}

function summaryWords(active: number, counts: Partial<Record<DisplayStatus, number>>): string {
  const parts = (['missing', 'error', 'out_of_sync', 'unchecked', 'synced'] as const)
    .filter((status) => counts[status])
    .map((status) => `${counts[status]} ${STATUS_WORDS[status].toLowerCase()}`);
  return `${active} ${active === 1 ? 'file' : 'files'}: ${parts.join(', ')}.`;
}

function errorWords(error: unknown): string {
  const status = statusOf(error);
  if (status === 401) return 'Your session has expired. Reload the page to sign in again.';
  if (status === 403) return `Not allowed: ${error instanceof Error ? error.message : String(error)}`;
  if (status === 503) return 'A storage service is unreachable right now; try again in a moment.';
  if (status === null && error instanceof Error && error.name === 'StoreSyncTransportError')
    return 'storesync cannot be reached right now; try again in a moment.';
  return error instanceof Error ? error.message : String(error);
}
