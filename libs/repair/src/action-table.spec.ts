import { ISSUE_TYPES } from '@storesync/core';
import { ACTION_TABLE, planAction, PlannableIssue } from './action-table';

const issue = (overrides: Partial<PlannableIssue>): PlannableIssue => ({
  id: 'i1',
  type: 'missing_vectors',
  user_id: 'alice',
  file_id: 'f1',
  file_key: 'alice/f1.txt',
  store: 'qdrant',
  details: {},
  from_partial_run: false,
  ...overrides,
});

describe(planAction.name, () => {
  it('has an action for every issue type', () => {
    for (const type of ISSUE_TYPES) expect(ACTION_TABLE[type]).toBeDefined();
  });

  it('marks destructive actions and what they remove', () => {
    expect(planAction(issue({ type: 'orphan_object', file_id: null, store: 's3' }))).toMatchObject({
      action: 'quarantine_object',
      destructive: true,
      target: 's3:alice/f1.txt',
      result: 'planned',
      removes: { s3: 1 },
    });
    expect(planAction(issue({ type: 'deletion_incomplete', details: { remaining_in: ['s3', 'qdrant'], points: 3 } }))).toMatchObject({
      action: 'finish_deletion',
      destructive: true,
      removes: { s3: 1, qdrant: 3 },
    });
    expect(planAction(issue({ type: 'stale_vectors' }))).toMatchObject({ action: 'reembed', destructive: false, removes: {} });
  });

  it('fixes the size only when the object hash matches metadata, else restores', () => {
    expect(planAction(issue({ type: 'size_mismatch' }), true).action).toBe('fix_size');
    expect(planAction(issue({ type: 'size_mismatch' }), false).action).toBe('restore_object');
    expect(planAction(issue({ type: 'size_mismatch' }), null).reason).toMatch(/cannot be proven/);
  });

  it('skips what cannot be repaired automatically, with a reason a person can act on', () => {
    const line = planAction(issue({ type: 'store_unavailable', store: 's3', from_partial_run: true }));
    expect(line).toMatchObject({ action: 'none', result: 'skipped' });
    expect(line.reason).toMatch(/s3 could not be read.*run the analysis again/);
    expect(planAction(issue({ from_partial_run: true }))).toMatchObject({ result: 'skipped', reason: expect.stringMatching(/partial run/) });
  });
});
