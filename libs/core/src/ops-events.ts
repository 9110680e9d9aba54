/**
 * Events between the service's own modules that are not part of the wire catalogue (they
 * never reach a socket): how a notification delivery went, what a change feed saw. The
 * metrics listen to them; their emitters do not know the metrics exist.
 */
export interface OpsEventData {
  'notification.delivery': { channel: string; kind: string; result: 'delivered' | 'retrying' | 'dead_letter'; attempt: number };
  'change_feed.change': { feed: 'mongodb' | 's3'; mode: string; lag_ms: number | null };
  'change_feed.status': { feed: 'mongodb' | 's3'; mode: string; connected: boolean };
  /** A repair plan refused by the circuit breaker (who asked, why, which plan). */
  'repair.circuit_breaker': { actor: string; reason: string; plan_id: string | null };
}

export type OpsEventType = keyof OpsEventData;

export const OPS_EVENT_TYPES: OpsEventType[] = ['notification.delivery', 'change_feed.change', 'change_feed.status', 'repair.circuit_breaker'];

/** The payload is the event itself (these never carry a user or file envelope). */
export type OpsEvent<K extends OpsEventType> = OpsEventData[K];
