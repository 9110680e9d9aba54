import type { ReactNode } from 'react';
import { errorMessage } from '@/lib/api/client';
import { UpdatedAt } from './UpdatedAt';

interface PanelProps {
  id: string;
  title: string;
  /** When the figures shown were fetched (React Query's `dataUpdatedAt`). */
  updatedAt?: number | string | null;
  isLoading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  actions?: ReactNode;
  className?: string;
  children?: ReactNode;
}

/** A titled dashboard panel with its own loading and error state. */
export function Panel({ id, title, updatedAt, isLoading, error, onRetry, actions, className, children }: PanelProps) {
  const headingId = `${id}-title`;
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={headingId} aria-busy={isLoading || undefined} data-testid={`panel-${id}`}>
      <header className="panel-header">
        <h2 id={headingId}>{title}</h2>
        <div className="panel-meta">
          {actions}
          {updatedAt !== undefined && <UpdatedAt at={updatedAt} />}
        </div>
      </header>
      {error ? (
        <div className="panel-error" role="alert">
          <p>Could not load: {errorMessage(error)}</p>
          {onRetry && (
            <button type="button" onClick={onRetry}>
              Retry
            </button>
          )}
        </div>
      ) : null}
      {isLoading && !error ? (
        <p className="panel-loading" role="status">
          Loading…
        </p>
      ) : null}
      {!isLoading && children}
    </section>
  );
}
