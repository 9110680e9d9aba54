'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { syncKeys } from '@/lib/query-keys';
import { restoreQuarantined } from './service';

/** Puts an object back at its original key (the server never overwrites); everything may have changed. */
export function useRestoreQuarantined() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => restoreQuarantined(key),
    onSettled: () => queryClient.invalidateQueries({ queryKey: syncKeys.all }),
  });
}
