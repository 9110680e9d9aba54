'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { errorMessage } from '@/lib/api/client';
import { safeNext } from '@/lib/safe-next';
import { useLogin } from '../api/mutations';

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const login = useLogin();
  const [token, setToken] = useState('');
  const expired = params.get('reason') === 'expired';

  return (
    <form
      className="login-form"
      onSubmit={(event) => {
        event.preventDefault();
        login.mutate(token.trim(), {
          onSuccess: (verdict) => {
            if (verdict === 'ok') router.replace(safeNext(params.get('next'), window.location.origin));
          },
        });
      }}
      data-testid="login-form"
    >
      <h1>storesync admin</h1>
      <p className="muted">Sign in with the admin API token. It is kept for this browser tab only.</p>
      {expired && (
        <p className="callout" role="status">
          Your session ended: the API refused the token. Sign in again.
        </p>
      )}
      <label htmlFor="admin-token">Admin token</label>
      <input
        id="admin-token"
        name="token"
        type="password"
        autoComplete="current-password"
        required
        value={token}
        onChange={(event) => setToken(event.target.value)}
        aria-invalid={login.data === 'refused' || undefined}
        aria-describedby={login.data === 'refused' || login.isError ? 'login-error' : undefined}
      />
      {login.data === 'refused' && (
        <p id="login-error" className="inline-error" role="alert" data-testid="login-error">
          The API refused this token.
        </p>
      )}
      {login.isError && (
        <p id="login-error" className="inline-error" role="alert" data-testid="login-error">
          Could not reach the API: {errorMessage(login.error)}
        </p>
      )}
      <button type="submit" className="primary" disabled={login.isPending || token.trim() === ''}>
        {login.isPending ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}
