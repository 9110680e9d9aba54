'use client';

import { useMutation } from '@tanstack/react-query';
import { fetchIssuesCsv } from './service';
import type { IssuesFilter } from './types';

/** Downloads the filtered issues as CSV through a blob, so the token stays out of URLs. */
export function useExportIssuesCsv() {
  return useMutation({
    mutationFn: async (filter: IssuesFilter) => {
      const csv = await fetchIssuesCsv(filter);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `storesync-issues-${new Date().toISOString().slice(0, 19)}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    },
  });
}
