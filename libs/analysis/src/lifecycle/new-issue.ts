import { randomUUID } from 'node:crypto';
import type { IssueDraft } from '@storesync/core';
import type { IssueDocument } from '../repositories/documents';

/** The document of a first detection. */
export function newIssue(draft: IssueDraft, fingerprint: string, runId: string, at: string): IssueDocument {
  return {
    id: randomUUID(),
    fingerprint,
    type: draft.type,
    status: 'open',
    user_id: draft.userId,
    file_id: draft.fileId ?? null,
    file_key: draft.fileKey ?? null,
    store: draft.store,
    details: draft.details,
    suggested_action: draft.suggestedAction,
    run_id: runId,
    last_run_id: runId,
    from_partial_run: false,
    first_detected_at: at,
    last_seen_at: at,
    resolved_at: null,
    resolution: null,
    deferred_until: null,
  };
}
