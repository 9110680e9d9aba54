/**
 * The event catalogue (DESIGN.md "Events"). One map from type to payload, shared by
 * the emitters, the listeners, the Socket.IO gateway and the admin app.
 */
export interface SyncEventData {
  'file.uploaded': { file_key: string; file_name: string; file_size?: number };
  'file.deleted': { file_key?: string; steps?: Record<string, string> };
  'embedding.created': { chunks: number; model: string };
  'embedding.deleted': { points?: number };
  'sync.issue.detected': { issue_id: string; type: string; store: string; file_key?: string; suggested_action: string };
  'sync.issue.resolved': { issue_id: string; type: string; reason: string };
  'analysis.started': { run_id: string; scope: { user_id: string | null }; deep: boolean };
  'analysis.progress': { run_id: string; processed: number; total_estimate: number };
  'analysis.completed': { run_id: string; state: string; partial: boolean; duration_ms: number; summary: Record<string, unknown> };
  'repair.action': Record<string, unknown>;
  'store.health': Record<string, { ok: boolean; kind: string; latency_ms: number; error?: string }>;
}

export type SyncEventType = keyof SyncEventData;

export const SYNC_EVENT_TYPES: SyncEventType[] = [
  'file.uploaded',
  'file.deleted',
  'embedding.created',
  'embedding.deleted',
  'sync.issue.detected',
  'sync.issue.resolved',
  'analysis.started',
  'analysis.progress',
  'analysis.completed',
  'repair.action',
  'store.health',
];

/** An event on the in-process bus; `seq` is given when it is published to clients. */
export interface SyncEvent<K extends SyncEventType = SyncEventType> {
  type: K;
  user_id: string | null;
  file_id?: string;
  at: string;
  data: SyncEventData[K];
}

export function syncEvent<K extends SyncEventType>(
  type: K,
  userId: string | null,
  data: SyncEventData[K],
  fileId?: string,
): SyncEvent<K> {
  return { type, user_id: userId, ...(fileId !== undefined ? { file_id: fileId } : {}), at: new Date().toISOString(), data };
}
