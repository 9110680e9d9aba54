'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { saveToken } from '@/lib/session';
import { verifyAdminToken } from './service';

/** Checks the token against the API and keeps it in session storage when accepted. */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (token: string) => {
      const verdict = await verifyAdminToken(token);
      if (verdict === 'ok') {
        queryClient.clear();
        saveToken(token);
      }
      return verdict;
    },
  });
}
