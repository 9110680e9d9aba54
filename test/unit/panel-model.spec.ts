import { allowedRepair, countByStatus, formatBytes, overallStatus, refreshes, relativeTime } from '../../clients/react/src/panel-model';
import type { FileStatus, Issue, SyncEvent } from '../../clients/react/src/wire';

const issue = (type: Issue['type'], extra: Partial<Issue> = {}): Issue => ({
  id: `i-${type}`,
  type,
  status: 'open',
  user_id: 'alice',
  store: 's3',
  suggested_action: '',
  details: {},
  run_id: 'r',
  first_detected_at: '2026-01-01T00:00:00Z',
  last_seen_at: '2026-01-01T00:00:00Z',
  from_partial_run: false,
  deferred: false,
  ...extra,
});

const file = (status: FileStatus['status'], isActive = true): FileStatus => ({
  file_id: `f-${status}-${isActive}`,
  file_key: 'k',
  file_name: 'n',
  file_size: 1,
  content_type: 'text/plain',
  is_active: isActive,
  created_at: '',
  updated_at: '',
  status,
  stores: { mongodb: true, s3: true, qdrant: true },
  issues: [],
});

describe('the Sync Status Panel model', () => {
  it('offers only the repairs the server allows users, never for issues of a partial run or destructive ones', () => {
    expect(allowedRepair(issue('missing_vectors'), ['reembed'])).toBe('reembed');
    expect(allowedRepair(issue('stale_vectors'), ['reembed'])).toBe('reembed');
    expect(allowedRepair(issue('missing_object'), ['reembed'])).toBeNull();
    expect(allowedRepair(issue('missing_object'), ['reembed', 'restore_object'])).toBe('restore_object');
    expect(allowedRepair(issue('missing_vectors'), [])).toBeNull();
    expect(allowedRepair(issue('missing_vectors', { from_partial_run: true }), ['reembed'])).toBeNull();
    expect(allowedRepair(issue('missing_vectors', { deferred: true }), ['reembed'])).toBeNull();
    for (const destructive of ['orphan_object', 'orphan_vectors', 'deletion_incomplete'] as const) {
      expect(allowedRepair(issue(destructive), ['reembed', 'delete_vectors', 'quarantine_object', 'finish_deletion'])).toBeNull();
    }
  });

  it('calls the worst active file the overall status, and counts active files only', () => {
    expect(overallStatus([file('synced'), file('out_of_sync'), file('missing', false)], 'unchecked')).toBe('out_of_sync');
    expect(overallStatus([file('synced'), file('error'), file('missing')], 'unchecked')).toBe('missing');
    expect(overallStatus([file('synced')], 'unchecked')).toBe('synced');
    expect(overallStatus([], 'unchecked')).toBe('unchecked');
    expect(countByStatus([file('synced'), file('synced', false), file('missing')])).toEqual({ synced: 1, missing: 1 });
  });

  it('refetches for events that change files or issues, not for progress or health', () => {
    const event = (type: string) => ({ seq: 1, type, user_id: 'alice', at: '', data: {} }) as unknown as SyncEvent;
    expect(['file.uploaded', 'sync.issue.detected', 'sync.issue.resolved', 'repair.action', 'analysis.completed'].every((t) => refreshes(event(t)))).toBe(true);
    expect(['analysis.progress', 'analysis.started', 'store.health'].some((t) => refreshes(event(t)))).toBe(false);
  });

  it('says times and sizes in words', () => {
    const now = Date.parse('2026-01-02T12:00:00Z');
    expect(relativeTime('2026-01-02T11:59:50Z', now)).toBe('just now');
    expect(relativeTime('2026-01-02T11:55:00Z', now)).toBe('5 min ago');
    expect(relativeTime('2026-01-02T09:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime('2026-01-01T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime(null, now)).toBe('never');
    expect([formatBytes(300), formatBytes(2048), formatBytes(5 * 1024 * 1024)]).toEqual(['300 B', '2.0 KB', '5.0 MB']);
  });
});
