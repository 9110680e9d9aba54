import { errorFromResponse, StoreSyncError, StoreSyncTransportError } from './errors';

/** A token, or a function asked for it before each request (the dashboard reads it from its session). */
export type TokenSource = string | (() => string | null | undefined);

export interface HttpOptions {
  /** The server's origin, e.g. `http://localhost:3000`; `''` in a browser page served by storesync itself. */
  baseUrl: string;
  token?: TokenSource;
  /** Another fetch (tests, a proxy agent); the global one by default (browsers, Node ≥ 18). */
  fetch?: typeof fetch;
  /** Called when a request is refused with 401 (expired or revoked token). */
  onUnauthorized?: (error: StoreSyncError<'unauthorized'>) => void;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  query?: object;
  /** A JSON body, or FormData for an upload. */
  body?: unknown;
  /** Use this token instead of the client's (a login form trying a candidate). */
  token?: string;
  signal?: AbortSignal;
}

export function resolveToken(source: TokenSource | undefined): string | undefined {
  const token = typeof source === 'function' ? source() : source;
  return token ?? undefined;
}

/** `path?query` with empty values left out. */
export function withQuery(path: string, query?: object): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query as Query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The HTTP side: bearer token, JSON in and out, errors as StoreSyncError by code. */
export class HttpTransport {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HttpOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get baseUrl(): string {
    return this.options.baseUrl.replace(/\/+$/, '');
  }

  token(): string | undefined {
    return resolveToken(this.options.token);
  }

  async json<T>(path: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
    const response = await this.send(path, options);
    return { status: response.status, body: (await response.json()) as T };
  }

  async text(path: string, options: RequestOptions = {}): Promise<string> {
    return (await this.send(path, options)).text();
  }

  private async send(path: string, options: RequestOptions): Promise<Response> {
    const token = options.token ?? this.token();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: FormData | string | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + withQuery(path, options.query), {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: options.signal,
        cache: 'no-store',
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new StoreSyncTransportError(`storesync could not be reached: ${(error as Error).message}`, null, { cause: error });
    }
    if (response.ok) return response;
    const error = errorFromResponse(response.status, await response.json().catch(() => null));
    if (StoreSyncError.is(error, 'unauthorized') && !options.token) this.options.onUnauthorized?.(error);
    throw error;
  }
}
