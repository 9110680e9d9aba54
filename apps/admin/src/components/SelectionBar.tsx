import type { ReactNode } from 'react';

/** The bar above a selectable table: how many are selected, the bulk actions, a way to clear. */
export function SelectionBar({ count, onClear, children }: { count: number; onClear: () => void; children: ReactNode }) {
  return (
    <div className="bulk-bar" aria-live="polite">
      <span>{count} selected</span>
      {children}
      {count > 0 && (
        <button type="button" className="link-button" onClick={onClear}>
          Clear selection
        </button>
      )}
    </div>
  );
}
