import { useCallback, useEffect, useRef, useState } from 'react';
import { statusOf, type LiveState, type SyncPanelClient } from './panel-client';
import { refreshes } from './panel-model';
import type { DisplayStatus, FileStatus, RepairActionName, SyncEvent } from './wire';

/** Files the panel shows at most (pages of 200); more is said, not shown. */
const MAX_FILES = 1000;
const PAGE = 200;
/** Pushed events in a burst (an analysis finds many issues) are folded into one refetch. */
const REFRESH_DELAY_MS = 400;

export interface PanelData {
  userId: string | null;
  files: FileStatus[];
  status: DisplayStatus;
  lastCheckedAt: string | null;
  truncated: boolean;
  /** When the list was last fetched (ms since epoch). */
  fetchedAt: number | null;
  allowedRepairs: RepairActionName[];
}

export interface PanelState extends PanelData {
  loading: boolean;
  error: Error | null;
  live: LiveState;
  /** The latest change announced to screen readers. */
  announcement: string;
}

const EMPTY: PanelData = { userId: null, files: [], status: 'unchecked', lastCheckedAt: null, truncated: false, fetchedAt: null, allowedRepairs: [] };

/** Loads the user's files through the client, keeps them fresh from live events, and runs the user's actions. */
export function useSyncPanel(client: SyncPanelClient, onUnauthorized?: () => void) {
  const [data, setData] = useState<PanelData>(EMPTY);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const [live, setLive] = useState<LiveState>('connecting');
  const [announcement, setAnnouncement] = useState('');
  const userIdRef = useRef<string | null>(null);
  const previous = useRef(new Map<string, DisplayStatus>());
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;

  const fail = useCallback((cause: unknown) => {
    const failure = cause instanceof Error ? cause : new Error(String(cause));
    setError(failure);
    if (statusOf(failure) === 401) unauthorized.current?.();
  }, []);

  const load = useCallback(async (): Promise<void> => {
    const userId = userIdRef.current;
    if (!userId) return;
    const files: FileStatus[] = [];
    let cursor: string | undefined;
    let status: DisplayStatus = 'unchecked';
    let lastCheckedAt: string | null = null;
    let truncated = false;
    try {
      do {
        const page = await client.userStatus(userId, { limit: PAGE, cursor });
        files.push(...page.files);
        status = page.status;
        lastCheckedAt = page.last_checked_at;
        cursor = page.next_cursor ?? undefined;
        truncated = !!cursor && files.length >= MAX_FILES;
      } while (cursor && !truncated);
    } catch (cause) {
      // A user without files yet: an empty list, not an error.
      if (statusOf(cause) !== 404) {
        fail(cause);
        return;
      }
    }
    setError(null);
    setAnnouncement(describeChanges(previous.current, files));
    previous.current = new Map(files.map((f) => [f.file_id, f.status]));
    setData((current) => ({ ...current, files, status, lastCheckedAt, truncated, fetchedAt: Date.now() }));
  }, [client, fail]);

  // Start: who the token is, then the files, then live events for that user.
  useEffect(() => {
    let stopped = false;
    let stopLive: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refreshSoon = () => {
      timer ??= setTimeout(() => {
        timer = null;
        if (!stopped) void load();
      }, REFRESH_DELAY_MS);
    };
    setLoading(true);
    setData(EMPTY);
    previous.current = new Map();
    client
      .session()
      .then(async (session) => {
        if (stopped) return;
        if (!session.user_id) throw new Error('this token is not a user token: the panel shows one user, create a token with POST /api/sync/tokens');
        userIdRef.current = session.user_id;
        setData((current) => ({ ...current, userId: session.user_id, allowedRepairs: session.user_repair_actions }));
        await load();
        if (stopped) return;
        stopLive = client.live(session.user_id, {
          onEvent: (event: SyncEvent) => {
            if (refreshes(event)) refreshSoon();
          },
          onGap: refreshSoon,
          onState: (state) => setLive(state),
        });
      })
      .catch((cause: unknown) => {
        if (!stopped) fail(cause);
      })
      .finally(() => {
        if (!stopped) setLoading(false);
      });
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stopLive?.();
    };
  }, [client, load, fail]);

  /** A single-file check; the list follows from the answer and the events it causes. */
  const checkFile = useCallback(
    async (fileId: string) => {
      await client.checkFile(fileId);
      await load();
    },
    [client, load],
  );

  /** Asks storesync to repair one issue (the server checks it is allowed); rejects with the reason when it was not done. */
  const repair = useCallback(
    async (issueId: string): Promise<void> => {
      const userId = userIdRef.current;
      if (!userId) throw new Error('not signed in');
      const outcome = await client.fix({ user_id: userId, issue_ids: [issueId], dry_run: false });
      await load();
      const line = outcome.actions.find((a) => a.issue_id === issueId);
      if (line?.result !== 'done') throw new Error(line?.reason ?? outcome.message);
    },
    [client, load],
  );

  const state: PanelState = { ...data, loading, error, live, announcement };
  return { state, refresh: load, checkFile, repair };
}

/** "report.pdf is now synced" for files whose status changed between two fetches. */
function describeChanges(before: Map<string, DisplayStatus>, files: FileStatus[]): string {
  if (before.size === 0) return '';
  const changes = files
    .filter((f) => (before.has(f.file_id) ? before.get(f.file_id) !== f.status : true))
    .map((f) => (before.has(f.file_id) ? `${f.file_name} is now ${f.status.replace(/_/g, ' ')}` : `${f.file_name} was added`));
  return changes.slice(0, 3).join('. ');
}
