/** `GET /api/auto-repair`. */
export interface AutoRepairStatus {
  enabled: boolean;
  policy: { types: string[]; destructive_types: string[]; max_per_minute: number; batch_seconds: number };
  queued: number;
  totals: { issues: number; done: number; skipped: number; failed: number; refused: number; dropped: number };
  recent: {
    at: string;
    issues: number;
    destructive: boolean;
    outcome: 'executed' | 'refused_circuit_breaker' | 'refused_partial_run' | 'failed';
    repair_id: string | null;
    summary: { done: number; skipped: number; failed: number } | null;
    error: string | null;
  }[];
}
