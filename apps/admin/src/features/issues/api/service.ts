import { api } from '@/lib/api/client';
import type { IssuesFilter, IssuesPage } from './types';

export const ISSUES_PAGE_SIZE = 100;

export function fetchIssues(filter: IssuesFilter, cursor: string | null, signal?: AbortSignal): Promise<IssuesPage> {
  return api.issues({ ...filter, limit: ISSUES_PAGE_SIZE, cursor: cursor ?? undefined }, { signal });
}

/** The same rows as CSV; fetched with the bearer token, never through a link carrying it. */
export function fetchIssuesCsv(filter: IssuesFilter): Promise<string> {
  return api.issuesCsv(filter);
}
