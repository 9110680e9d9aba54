import type { AuditedAction, HealthStores, IssueType, RepairProgress, RunState, ScrubRunState, ScrubStopReason, Store, Summary } from './wire';

/**
 * The event catalogue: one map from event type to its exact `data`. The server's publisher,
 * its listeners, the Socket.IO gateway, the dashboard and the clients all read it.
 * Adding an event: add its line here and to SYNC_EVENT_TYPES (the compiler checks both agree).
 */
export interface SyncEventData {
  'file.uploaded': { file_key: string; file_name: string; file_size?: number };
  'file.deleted': { file_key?: string; steps?: Record<string, string> };
  'embedding.created': { chunks: number; model: string };
  'embedding.deleted': { points?: number };
  'sync.issue.detected': { issue_id: string; type: IssueType; store: Store; file_key?: string; suggested_action: string };
  'sync.issue.resolved': { issue_id: string; type: IssueType; reason: string };
  'analysis.started': { run_id: string; scope: { user_id: string | null }; deep: boolean };
  'analysis.progress': { run_id: string; processed: number; total_estimate: number };
  'analysis.completed': { run_id: string; state: RunState; partial: boolean; duration_ms: number; summary: Summary };
  'repair.action': RepairActionEventData;
  /** An executing repair: a few a second while it runs, and once at its end. */
  'repair.progress': RepairProgress;
  'store.health': HealthStores;
  /** The checksum scrubber: a run began (scheduled or asked for), about once a second while it reads, and its end. */
  'scrub.started': { run_id: string; trigger: 'schedule' | 'api' };
  'scrub.progress': { run_id: string; files_verified: number; bytes_verified: number; mismatches: number; bytes_per_second: number };
  'scrub.completed': {
    run_id: string;
    state: ScrubRunState;
    stopped: ScrubStopReason;
    files_verified: number;
    bytes_verified: number;
    mismatches: number;
    duration_ms: number;
  };
}

/** One line of the audit trail as `repair.action` carries it (`action_id` is the line's id). */
export type RepairActionEventData = Omit<AuditedAction, 'id'> & { action_id: string };

export type SyncEventType = keyof SyncEventData;

/** Every catalogue type, in catalogue order (a runtime list of the map's keys). */
export const SYNC_EVENT_TYPES = [
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
  'repair.progress',
  'store.health',
  'scrub.started',
  'scrub.progress',
  'scrub.completed',
] as const satisfies readonly SyncEventType[];

// The list names every key of the map: a type left out of it fails here.
type Missing = Exclude<SyncEventType, (typeof SYNC_EVENT_TYPES)[number]>;
export const CATALOGUE_COMPLETE: [Missing] extends [never] ? true : Missing = true;

/** An event on the in-process bus. */
export interface BusEvent<K extends SyncEventType = SyncEventType> {
  type: K;
  /** `null`: not about one user (store health, global runs). */
  user_id: string | null;
  file_id?: string;
  at: string;
  data: SyncEventData[K];
}

/**
 * An event as Socket.IO clients receive it: the bus event stamped with its place (`seq`,
 * monotonic per server instance) in the stream. Narrow on `type` to get the exact `data`.
 */
export type SyncEvent<K extends SyncEventType = SyncEventType> = {
  [T in K]: BusEvent<T> & { seq: number };
}[K];
