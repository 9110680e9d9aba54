import { Suspense } from 'react';
import { IssuesTable } from '@/features/issues/components/IssuesTable';

export default function IssuesPage() {
  return (
    <>
      <h1>Issues</h1>
      <Suspense>
        <IssuesTable />
      </Suspense>
    </>
  );
}
