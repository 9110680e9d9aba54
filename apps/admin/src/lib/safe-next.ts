/**
 * Where to go after login: a path of this app, never another origin. The value is resolved
 * the way the browser will resolve it (`/\host`, `/%09/host` and `//host` all leave the
 * origin once backslashes and tabs are normalised) and kept only when its origin is ours.
 */
export function safeNext(next: string | null, origin: string): string {
  if (!next || !next.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(origin).origin) return '/';
  // Rebuilt from the parsed parts: what is followed is exactly what was checked.
  return `${url.pathname}${url.search}${url.hash}`;
}
