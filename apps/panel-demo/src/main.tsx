import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { SyncStatusPanel } from '@storesync/react';

// A pretend application ("Acme Notes") embedding the Sync Status Panel for its signed-in
// user. A real application's backend makes the user token with POST /api/sync/tokens and
// the admin token; this demo asks the local-only demo route instead (see README).

const DEMO_USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
type Theme = 'light' | 'dark' | 'auto';

interface DemoToken {
  token: string;
  user_id: string;
  expires_at: string;
}

function initial(name: string, fallback: string): string {
  return new URLSearchParams(window.location.search).get(name) ?? fallback;
}

/**
 * `?storesync=http://host:port`: the page is served from another origin than storesync (as an
 * application's own frontend would be); storesync must then allow this origin (SYNC_CORS_ORIGINS,
 * SOCKET_ALLOWED_ORIGINS). Default: the page's own origin.
 */
function storesyncOrigin(): string {
  const given = new URLSearchParams(window.location.search).get('storesync');
  if (!given) return '';
  try {
    const url = new URL(given);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : '';
  } catch {
    return '';
  }
}
const STORESYNC = storesyncOrigin();

function DemoHost() {
  const [userId, setUserId] = useState(() => initial('user', 'bob'));
  const [theme, setTheme] = useState<Theme>(() => initial('theme', 'auto') as Theme);
  const [token, setToken] = useState<DemoToken | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fetchToken = useCallback(async () => {
    setError(null);
    try {
      const response = await fetch(`${STORESYNC}/api/demo/panel-token?user_id=${encodeURIComponent(userId)}`, { cache: 'no-store' });
      const body = (await response.json()) as DemoToken & { message?: string };
      if (!response.ok) throw new Error(body.message ?? `status ${response.status}`);
      setToken(body);
    } catch (cause) {
      setToken(null);
      setError(cause instanceof Error ? cause.message : String(cause));
    }
  }, [userId]);

  useEffect(() => {
    void fetchToken();
  }, [fetchToken]);

  // The choices live in the address, so a reload (or a shared link) shows the same.
  useEffect(() => {
    const url = new URL(window.location.href);
    url.searchParams.set('user', userId);
    url.searchParams.set('theme', theme);
    window.history.replaceState(null, '', url);
  }, [userId, theme]);

  useEffect(() => {
    const dark = theme === 'dark' || (theme === 'auto' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    document.body.dataset.theme = dark ? 'dark' : 'light';
  }, [theme]);

  return (
    <>
      <header className="host-bar">
        <strong>Acme Notes</strong>
        <label>
          Signed in as
          <select value={userId} onChange={(event) => setUserId(event.target.value)} data-testid="demo-user">
            {DEMO_USERS.map((user) => (
              <option key={user} value={user}>
                {user}
              </option>
            ))}
          </select>
        </label>
        <label>
          Theme
          <select value={theme} onChange={(event) => setTheme(event.target.value as Theme)} data-testid="demo-theme">
            <option value="auto">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </header>
      <main className="host-main">
        <p className="host-note">
          This page plays an application that embeds storesync's <code>&lt;SyncStatusPanel&gt;</code> for its signed-in user. The panel sees only that user's
          files.
        </p>
        {error && (
          <p className="host-error" role="alert">
            No demo token: {error}
          </p>
        )}
        {token && token.user_id === userId && (
          <SyncStatusPanel key={token.user_id} token={token.token} baseUrl={STORESYNC} theme={theme} onUnauthorized={() => void fetchToken()} />
        )}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DemoHost />
  </StrictMode>,
);
