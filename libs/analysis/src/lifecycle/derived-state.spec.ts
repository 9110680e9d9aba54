import type { ScopeCheckDocument } from '../repositories/documents';
import { deriveIssue, latestSighting, ScopeChecks } from './derived-state';

const issue = (overrides: Partial<Parameters<typeof deriveIssue>[0]> = {}) => ({
  status: 'open' as const,
  run_id: 'run-1',
  last_run_id: 'run-1',
  first_detected_at: '2026-01-01T10:00:00.000Z',
  last_seen_at: '2026-01-01T10:00:00.000Z',
  from_partial_run: false,
  ...overrides,
});

const check = (id: string, runId: string, snapshotAt: string, finishedAt: string): ScopeCheckDocument => ({
  id,
  run_id: runId,
  snapshot_at: snapshotAt,
  finished_at: finishedAt,
});

describe(deriveIssue.name, () => {
  const later = check('*', 'run-2', '2026-01-01T11:00:00.000Z', '2026-01-01T11:05:00.000Z');

  it('takes the last sighting from a complete run that knew the issue', () => {
    expect(deriveIssue(issue(), [later])).toMatchObject({ last_run_id: 'run-2', last_seen_at: '2026-01-01T11:05:00.000Z' });
  });

  it('counts the run that created it even though it read its scope before', () => {
    const own = check('*', 'run-1', '2026-01-01T09:59:00.000Z', '2026-01-01T10:01:00.000Z');
    expect(deriveIssue(issue(), [own])).toMatchObject({ last_run_id: 'run-1', last_seen_at: '2026-01-01T10:01:00.000Z' });
  });

  it('ignores a run that read the scope before the issue existed (it could not resolve it)', () => {
    const before = check('*', 'run-0', '2026-01-01T09:00:00.000Z', '2026-01-01T10:30:00.000Z');
    expect(deriveIssue(issue(), [before])).toMatchObject({ last_run_id: 'run-1', last_seen_at: '2026-01-01T10:00:00.000Z' });
  });

  it('keeps a stored sighting newer than every run (a file check)', () => {
    const touched = issue({ last_run_id: 'check:x', last_seen_at: '2026-01-01T12:00:00.000Z' });
    expect(deriveIssue(touched, [later])).toMatchObject({ last_run_id: 'check:x', last_seen_at: '2026-01-01T12:00:00.000Z' });
  });

  it('takes the newest of the covering checks', () => {
    const own = check('user:alice', 'run-3', '2026-01-01T12:00:00.000Z', '2026-01-01T12:01:00.000Z');
    expect(latestSighting(issue(), [own, later])?.run_id).toBe('run-3');
    expect(latestSighting(issue(), [later, own])?.run_id).toBe('run-3');
  });

  it('no longer calls an issue from a partial run once a complete run read it after', () => {
    expect(deriveIssue(issue({ from_partial_run: true }), [later]).from_partial_run).toBe(false);
    const during = check('*', 'run-2', '2026-01-01T09:00:00.000Z', '2026-01-01T11:00:00.000Z');
    // Known to the run (detected before its snapshot? no: after), so not confirmed.
    expect(deriveIssue(issue({ from_partial_run: true }), [during]).from_partial_run).toBe(true);
  });

  it('leaves resolved issues as they were stored', () => {
    const resolved = issue({ status: 'resolved' as never });
    expect(deriveIssue(resolved, [later])).toBe(resolved);
  });
});

describe(ScopeChecks.name, () => {
  it('covers a user by the global check and the user’s own', () => {
    const global = check('*', 'g', 'a', 'b');
    const alice = check('user:alice', 'a', 'a', 'b');
    const sut = new ScopeChecks([global, alice, check('user:bob', 'b', 'a', 'b')]);
    expect(sut.covering('alice')).toEqual([global, alice]);
    expect(sut.covering('carol')).toEqual([global]);
  });
});
