'use client';

import { createClient, StoreSyncError } from '@storesync/client';
import { clearToken, readToken } from '@/lib/session';

// The dashboard talks to storesync only through @storesync/client: the typed methods, the
// errors by code and the live subscription. This module holds the one instance.

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** The API on this page's own origin, with the session's admin token. */
export const api = createClient({
  baseUrl: '',
  token: readToken,
  onUnauthorized: () => {
    clearToken('expired');
    for (const listener of unauthorizedListeners) listener();
  },
});

/** Called when any request is refused with 401 (the token is already cleared then). */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export { StoreSyncError };

/** The HTTP status of a failed call, when there was an answer. */
export function errorStatus(error: unknown): number | null {
  if (error instanceof StoreSyncError) return error.status;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

export function errorMessage(error: unknown): string {
  if (error instanceof StoreSyncError) {
    const fields = error.body.fields?.map((f) => `${f.field}: ${f.message}`).join('; ');
    const id = error.body.correlation_id ? ` (ref ${error.body.correlation_id})` : '';
    return `${error.status} — ${error.message}${fields ? ` (${fields})` : ''}${id}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
