'use client';

import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { mergeRunIntoCache, runKeys } from '@/features/analysis/api/queries';
import { trackRun, trackRunProgress, trackRunStarted } from '@/features/analysis/run-tracker';
import { issueKeys } from '@/features/issues/api/queries';
import { overviewKeys } from '@/features/overview/api/queries';
import { scrubKeys } from '@/features/scrub/api/queries';
import { userKeys } from '@/features/users/api/queries';
import type { Run, SyncEvent } from '@storesync/contract';
import { syncKeys } from '@/lib/query-keys';

// An analysis can push hundreds of issue events a second: invalidations are
// collected and flushed together, and a refetch in flight is not restarted.
const FLUSH_DELAY_MS = 400;

export class CacheSync {
  private pending = new Map<string, QueryKey>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly queryClient: QueryClient) {}

  /** Applies one pushed event to the query cache and the run tracker. */
  apply(event: SyncEvent): void {
    switch (event.type) {
      case 'analysis.started': {
        const run = event.data as Partial<Run>;
        if (typeof run.run_id === 'string') {
          trackRunStarted(run.run_id, run.scope?.user_id ?? (event.user_id || null), run.started_at);
        }
        this.invalidate(runKeys.all);
        break;
      }
      case 'analysis.progress': {
        const progress = event.data;
        trackRunProgress(progress.run_id, progress.processed, progress.total_estimate);
        break;
      }
      case 'analysis.completed': {
        const run = event.data as unknown as Run;
        if (typeof run.run_id === 'string') {
          trackRun(run);
          mergeRunIntoCache(this.queryClient, run);
        }
        // A finished run changes every figure.
        this.invalidate(syncKeys.all);
        break;
      }
      case 'store.health':
        this.invalidate(overviewKeys.all);
        break;
      case 'scrub.started':
      case 'scrub.progress':
      case 'scrub.completed':
        this.invalidate(scrubKeys.all);
        break;
      case 'file.uploaded':
      case 'file.deleted':
      case 'embedding.created':
      case 'embedding.deleted':
      case 'sync.issue.detected':
      case 'sync.issue.resolved':
      case 'repair.action':
        this.invalidate(overviewKeys.all);
        this.invalidate(userKeys.lists());
        this.invalidate(issueKeys.all);
        if (event.user_id) this.invalidate(userKeys.detail(event.user_id));
        break;
      default:
        // An event type this dashboard does not know yet: refresh what it may touch.
        this.invalidate(overviewKeys.all);
    }
  }

  /** After a replay gap or a reconnect: every cached figure may be stale. */
  invalidateAll(): void {
    this.invalidate(syncKeys.all);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
  }

  private invalidate(queryKey: QueryKey): void {
    this.pending.set(JSON.stringify(queryKey), queryKey);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  private flush(): void {
    this.timer = null;
    const keys = [...this.pending.values()];
    this.pending.clear();
    for (const queryKey of keys) {
      void this.queryClient.invalidateQueries({ queryKey }, { cancelRefetch: false });
    }
  }
}
