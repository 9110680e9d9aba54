'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { syncKeys } from '@/lib/query-keys';
import { requestFix } from './service';
import type { FixSelection } from './types';

/** The dry run: what a fix would do. Changes nothing, so it invalidates nothing. */
export function useFixPlan() {
  return useMutation({
    mutationFn: (selection: FixSelection) => requestFix({ ...selection, dry_run: true }),
  });
}

export interface ApplyFixInput {
  selection: FixSelection;
  planId: string;
  allowDestructive: boolean;
  force: boolean;
}

/** Executes a confirmed plan; the server re-checks each issue before acting. */
export function useApplyFix() {
  const queryClient = useQueryClient();
  return useMutation({
    // The saved plan carries its selection: the server refuses a selection beside plan_id (invalid_selection).
    mutationFn: ({ planId, allowDestructive, force }: ApplyFixInput) =>
      requestFix({ plan_id: planId, dry_run: false, allow_destructive: allowDestructive, force }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: syncKeys.all }),
  });
}
