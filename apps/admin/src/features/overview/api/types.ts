import type { HealthStores, IssueType, Run, Summary } from '@storesync/contract';

/** `GET /api/sync/overview`. */
export interface Overview {
  summary: Summary;
  open_issues: number;
  issues_by_type: Partial<Record<IssueType, number>>;
  /** null until a full analysis has measured the stores. */
  storage: {
    mongodb: { files: number; bytes: number };
    s3: { objects: number; bytes: number };
    qdrant: { points: number; files: number };
  } | null;
  health: HealthStores;
  last_run: Run | null;
  runs: Run[];
  /** Analyses running now (beyond docs/api.md; used when present). */
  running?: Run[];
  updated_at: string;
}
