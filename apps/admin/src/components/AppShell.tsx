'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ActiveRuns } from '@/features/analysis/components/ActiveRuns';
import { ConnectionIndicator } from '@/features/realtime/components/ConnectionIndicator';
import { ThemeToggle } from '@/features/theme/components/ThemeToggle';
import { RealtimeConnector } from '@/features/realtime/components/RealtimeConnector';
import { onUnauthorized } from '@/lib/api/client';
import { clearToken, takeSessionEnd, useToken } from '@/lib/session';

const NAV = [
  { href: '/', label: 'Overview' },
  { href: '/users/', label: 'Users' },
  { href: '/issues/', label: 'Issues' },
  { href: '/runs/', label: 'Runs' },
  { href: '/data-model/', label: 'Data model' },
  { href: '/audit/', label: 'Audit' },
  { href: '/quarantine/', label: 'Quarantine' },
  { href: '/notifications/', label: 'Notifications' },
  { href: '/auto-repair/', label: 'Auto-repair' },
  { href: '/feeds/', label: 'Feeds' },
  { href: '/scrub/', label: 'Scrubber' },
];

function isCurrent(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname.startsWith(href.replace(/\/$/, ''));
}

/** Header, navigation, live state and the login guard around every page but login. */
export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const token = useToken();
  const queryClient = useQueryClient();
  const onLogin = pathname.startsWith('/login');

  // A 401 clears the token; the guard below then returns to login and says why.
  useEffect(() => onUnauthorized(() => queryClient.clear()), [queryClient]);

  useEffect(() => {
    if (onLogin || token !== null) return;
    const next = `${window.location.pathname}${window.location.search}`;
    const expired = takeSessionEnd() === 'expired';
    router.replace(`/login/?${expired ? 'reason=expired&' : ''}next=${encodeURIComponent(next)}`);
  }, [onLogin, token, router]);

  if (onLogin) return <main className="login-page">{children}</main>;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link href="/" className="brand">
          storesync
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={isCurrent(pathname, item.href) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-right">
          <ThemeToggle />
          <ConnectionIndicator />
          <button
            type="button"
            className="link-button"
            onClick={() => {
              clearToken('signed_out');
              queryClient.clear();
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      {token ? (
        <>
          <RealtimeConnector />
          <ActiveRuns />
          <main id="main" className="content" tabIndex={-1}>
            {children}
          </main>
        </>
      ) : (
        <main id="main" className="content">
          <p className="panel-loading" role="status">
            {token === undefined ? 'Loading…' : 'Redirecting to sign in…'}
          </p>
        </main>
      )}
    </>
  );
}
