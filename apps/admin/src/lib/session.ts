'use client';

import { useSyncExternalStore } from 'react';

// The admin token lives in session storage only: it dies with the tab and never
// appears in a URL, a cookie or local storage.
const TOKEN_KEY = 'storesync.admin_token';
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

export function readToken(): string | null {
  if (typeof window === 'undefined') return null;
  return window.sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string): void {
  window.sessionStorage.setItem(TOKEN_KEY, token);
  notify();
}

export type SessionEnd = 'signed_out' | 'expired';
let lastSessionEnd: SessionEnd | null = null;

/** Forgets the token; `expired` when the API refused it, so login can say why. */
export function clearToken(reason: SessionEnd = 'signed_out'): void {
  lastSessionEnd = reason;
  window.sessionStorage.removeItem(TOKEN_KEY);
  notify();
}

/** Why the last session ended in this tab (read once by the login redirect). */
export function takeSessionEnd(): SessionEnd | null {
  const reason = lastSessionEnd;
  lastSessionEnd = null;
  return reason;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The current token; `undefined` during the static prerender and the first client render,
 * before session storage can be read.
 */
export function useToken(): string | null | undefined {
  return useSyncExternalStore(subscribe, readToken, () => undefined);
}
