'use client';

import { clearToken, readToken } from '@/lib/session';
import type { ApiErrorBody } from '@storesync/contract';

/** A non-2xx answer from the API, with the contract's error body when there was one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
  ) {
    super(body?.message ?? `Request failed with status ${status}`);
    this.name = 'ApiError';
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called when any request is refused with 401 (the token is already cleared then). */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query?: QueryParams): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  query?: QueryParams;
  body?: unknown;
  /** Token to use instead of the stored one (the login form checks a candidate token). */
  token?: string;
  signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const token = options.token ?? readToken();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(withQuery(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
    cache: 'no-store',
  });
  if (response.ok) return response;

  let body: ApiErrorBody | null = null;
  try {
    body = (await response.json()) as ApiErrorBody;
  } catch {
    // A proxy or crash page: keep the status, there is no contract body.
  }
  if (response.status === 401 && !options.token) {
    clearToken('expired');
    for (const listener of unauthorizedListeners) listener();
  }
  throw new ApiError(response.status, body);
}

/** JSON request against the same-origin API, with the admin bearer token. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  return (await response.json()) as T;
}

/** A text body (CSV exports). */
export async function apiText(path: string, options: RequestOptions = {}): Promise<string> {
  const response = await send(path, options);
  return response.text();
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.body?.fields?.map((f) => `${f.field}: ${f.message}`).join('; ');
    const id = error.body?.correlation_id ? ` (ref ${error.body.correlation_id})` : '';
    return `${error.status} — ${error.message}${fields ? ` (${fields})` : ''}${id}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
