'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useToken } from '@/lib/session';
import { connectSync } from '../socket';

/** Holds the one Socket.IO connection for as long as there is a token. */
export function RealtimeConnector() {
  const token = useToken();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!token) return;
    // The subscription reads the token from the session; a new token means a new subscription.
    return connectSync(queryClient);
  }, [token, queryClient]);
  return null;
}
