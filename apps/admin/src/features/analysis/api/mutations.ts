'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { userKeys } from '@/features/users/api/queries';
import type { UserStatusPage } from '@/features/users/api/types';
import { overviewKeys } from '@/features/overview/api/queries';
import { issueKeys } from '@/features/issues/api/queries';
import { StoreSyncError } from '@/lib/api/client';
import type { FileStatus } from '@storesync/contract';
import type { InfiniteData } from '@tanstack/react-query';
import { trackRunStarted } from '../run-tracker';
import { runKeys } from './queries';
import { checkFile, startAnalysis } from './service';
import type { AnalyzeOutcome, AnalyzeRequest } from './types';

async function analyzeOne(request: AnalyzeRequest): Promise<AnalyzeOutcome> {
  const scope = request.user_id ?? null;
  try {
    const { run_id } = await startAnalysis(request);
    trackRunStarted(run_id, scope);
    return { scope_user_id: scope, run_id, already_running: false };
  } catch (error) {
    // 409: that scope is already being analysed; follow the running one instead.
    if (StoreSyncError.is(error, 'analysis_running')) {
      const runId = error.body.run_id ?? null;
      if (runId) trackRunStarted(runId, scope);
      return { scope_user_id: scope, run_id: runId, already_running: true, message: error.message };
    }
    throw error;
  }
}

/** Analyze everything (no user ids), one user, or several users (one run each). */
export function useStartAnalysis() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userIds, deep }: { userIds?: string[]; deep?: boolean }): Promise<AnalyzeOutcome[]> => {
      if (!userIds || userIds.length === 0) return [await analyzeOne({ deep })];
      const outcomes: AnalyzeOutcome[] = [];
      for (const userId of userIds) outcomes.push(await analyzeOne({ user_id: userId, deep }));
      return outcomes;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.all }),
  });
}

/** Checks one file now and writes the fresh status into the user's cached file list. */
export function useCheckFile(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fileId: string) => checkFile(fileId),
    onSuccess: (fresh: Partial<FileStatus> & Pick<FileStatus, 'file_id'>) => {
      queryClient.setQueryData<InfiniteData<UserStatusPage>>(userKeys.detail(userId), (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                // The check answers status, stores and issues; name, key and size stay from the list.
                files: page.files.map((file) => (file.file_id === fresh.file_id ? { ...file, ...fresh } : file)),
              })),
            }
          : data,
      );
      void queryClient.invalidateQueries({ queryKey: overviewKeys.all });
      void queryClient.invalidateQueries({ queryKey: issueKeys.all });
      void queryClient.invalidateQueries({ queryKey: userKeys.lists() });
    },
  });
}
