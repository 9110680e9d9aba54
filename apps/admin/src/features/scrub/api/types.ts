export type { ScrubCoverage, ScrubRun, ScrubRunStarted, ScrubStatusResponse } from '@storesync/contract';

/** The coverage window the dashboard shows (files verified in the last N days). */
export const COVERAGE_DAYS = 30;
