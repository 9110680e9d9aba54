import { formatDateTime, formatTime } from '@/lib/format';

/** "updated 14:03:21" — every figure says how fresh it is. */
export function UpdatedAt({ at, label = 'updated' }: { at: number | string | null | undefined; label?: string }) {
  if (!at) return <span className="updated">not loaded yet</span>;
  const date = new Date(at);
  return (
    <span className="updated">
      {label}{' '}
      <time dateTime={date.toISOString()} title={formatDateTime(date)}>
        {formatTime(date)}
      </time>
    </span>
  );
}
