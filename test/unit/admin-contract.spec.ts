import { ISSUE_TYPES, SYNC_EVENT_TYPES } from '@storesync/core';
import * as admin from '../../apps/admin/src/lib/api/contract';

/**
 * The dashboard keeps its own copy of the wire enums (it cannot bundle server code);
 * this keeps the copy equal to the server's lists.
 */
describe('admin wire contract', () => {
  it('knows every issue type and event type the server emits, and no other', () => {
    expect([...admin.ISSUE_TYPES]).toEqual([...ISSUE_TYPES]);
    expect([...admin.SYNC_EVENT_TYPES]).toEqual([...SYNC_EVENT_TYPES]);
  });

  it('knows the four statuses', () => {
    expect([...admin.STATUSES]).toEqual(['synced', 'out_of_sync', 'missing', 'error']);
  });
});
