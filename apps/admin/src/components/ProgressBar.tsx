interface ProgressBarProps {
  label: string;
  value: number;
  max: number;
  state?: string;
  testId?: string;
}

/** A determinate bar when the total is known, an indeterminate one until then. */
export function ProgressBar({ label, value, max, state, testId }: ProgressBarProps) {
  const known = max > 0;
  const percent = known ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div
      className={`progress ${known ? '' : 'indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? max : undefined}
      aria-valuenow={known ? Math.min(value, max) : undefined}
      aria-valuetext={known ? `${value} of ${max} (${percent}%)` : 'starting'}
      data-state={state}
      data-testid={testId}
    >
      <div className="progress-fill" style={{ width: known ? `${percent}%` : undefined }} />
    </div>
  );
}
