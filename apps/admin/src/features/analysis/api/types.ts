import type { Run } from '@storesync/contract';

/** Body of `POST /api/sync/analyze`. */
export interface AnalyzeRequest {
  user_id?: string;
  deep?: boolean;
}

/** `202` answer of `POST /api/sync/analyze` with `wait: false`. */
export interface AnalyzeAccepted {
  run_id: string;
}

export interface RunsPage {
  runs: Run[];
  next_cursor: string | null;
}

/** Outcome of starting one analysis: started, or refused because the same scope already runs. */
export type AnalyzeOutcome =
  | { scope_user_id: string | null; run_id: string; already_running: false }
  | { scope_user_id: string | null; run_id: string | null; already_running: true; message: string };
