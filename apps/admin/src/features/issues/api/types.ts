import type { Issue, IssueType } from '@storesync/contract';

export interface IssuesFilter {
  status?: 'open' | 'resolved';
  type?: IssueType;
  user_id?: string;
}

export interface IssuesPage {
  issues: Issue[];
  next_cursor: string | null;
}
