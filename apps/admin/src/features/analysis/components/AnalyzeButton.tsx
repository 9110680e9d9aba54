'use client';

import { useState } from 'react';
import { errorMessage } from '@/lib/api/client';
import { useStartAnalysis } from '../api/mutations';

interface AnalyzeButtonProps {
  /** No ids: analyze all users. */
  userIds?: string[];
  label: string;
  className?: string;
  testId?: string;
  /** Offer the deep (checksum) option next to the button. */
  withDeepOption?: boolean;
}

/** Starts one analysis per scope; the progress then shows in the run bar under the header. */
export function AnalyzeButton({ userIds, label, className, testId, withDeepOption }: AnalyzeButtonProps) {
  const start = useStartAnalysis();
  const [deep, setDeep] = useState(false);
  const alreadyRunning = start.data?.filter((outcome) => outcome.already_running) ?? [];
  return (
    <span className="analyze-control">
      <button
        type="button"
        className={className ?? 'primary'}
        disabled={start.isPending || (userIds !== undefined && userIds.length === 0)}
        onClick={() => start.mutate({ userIds, deep })}
        data-testid={testId}
      >
        {start.isPending ? 'Starting…' : label}
      </button>
      {withDeepOption && (
        <label className="checkbox inline" title="Also compare checksums of every object (slower)">
          <input type="checkbox" checked={deep} onChange={(event) => setDeep(event.target.checked)} />
          deep
        </label>
      )}
      {start.isError && (
        <span role="alert" className="inline-error">
          {errorMessage(start.error)}
        </span>
      )}
      {alreadyRunning.length > 0 && (
        <span role="status" className="muted">
          Already running for {alreadyRunning.map((o) => o.scope_user_id ?? 'all users').join(', ')} — following that run.
        </span>
      )}
    </span>
  );
}
