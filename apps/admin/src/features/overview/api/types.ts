import type { HealthStores, IssueType, Run, Summary } from '@/lib/api/contract';

/** `GET /api/sync/overview`. */
export interface Overview {
  summary: Summary;
  open_issues: number;
  issues_by_type: Partial<Record<IssueType, number>>;
  storage: {
    mongodb: { files: number; bytes: number };
    s3: { objects: number; bytes: number };
    qdrant: { points: number; files: number };
  };
  health: HealthStores;
  last_run: Run | null;
  runs: Run[];
  updated_at: string;
}
