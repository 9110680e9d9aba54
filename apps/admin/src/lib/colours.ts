import type { Status } from '@storesync/contract';

// Fills for charts; each meets 3:1 against white (WCAG 1.4.11 non-text contrast).
// Text uses the darker tones in globals.css.
export const STATUS_COLOURS: Record<Status, string> = {
  synced: '#1a7f37',
  out_of_sync: '#bf8700',
  missing: '#cf222e',
  error: '#82071e',
};

export const STORE_COLOURS = { mongodb: '#116149', s3: '#bc4c00', qdrant: '#6639ba' } as const;
