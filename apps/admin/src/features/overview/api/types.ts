import type { OverviewResponse } from '@storesync/contract';

/** `GET /api/sync/overview`. */
export type Overview = OverviewResponse;
