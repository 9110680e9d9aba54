import type { NotificationMessage } from '../notification.types';

/** A delivery that failed; `permanent` when trying again cannot help (the receiver refused the request itself). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * Where notifications go. `send` resolves once the receiver accepted the message and
 * throws DeliveryError otherwise; retries and dead letters are the worker's, not the channel's.
 */
export abstract class NotificationChannel {
  abstract readonly name: string;
  abstract readonly kind: 'webhook' | 'slack' | 'email';
  /** Where it sends, without secrets (for the API and the dashboard). */
  abstract readonly target: string;
  abstract send(message: NotificationMessage, attempt: number): Promise<void>;
  async close(): Promise<void> {}
}

/** POSTs JSON with a deadline; 2xx is accepted, 4xx (but 408/429) permanent, anything else retried. */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error;
    throw new DeliveryError(e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `could not connect (${(e.cause as Error)?.message ?? e.message})`);
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return;
  const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
  throw new DeliveryError(`receiver answered ${response.status}`, permanent);
}

/** A URL as shown: scheme, host and path, never credentials or query (Slack hook URLs are secrets). */
export function redactUrl(url: string): string {
  const u = new URL(url);
  const path = u.pathname.length > 12 ? `${u.pathname.slice(0, 12)}…` : u.pathname;
  return `${u.protocol}//${u.host}${path}`;
}
