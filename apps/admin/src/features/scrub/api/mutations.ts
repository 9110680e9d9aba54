'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { StoreSyncError } from '@/lib/api/client';
import { scrubKeys } from './queries';
import { startScrub } from './service';

export type ScrubStartOutcome = { run_id: string | null; already_running: boolean };

/** "Run now": a 409 means one is already going, which the panel then shows. */
export function useStartScrub() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<ScrubStartOutcome> => {
      try {
        return { ...(await startScrub()), already_running: false };
      } catch (error) {
        if (error instanceof StoreSyncError && error.status === 409) return { run_id: error.body?.run_id ?? null, already_running: true };
        throw error;
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: scrubKeys.all }),
  });
}
