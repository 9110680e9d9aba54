import { Suspense } from 'react';
import { UsersTable } from '@/features/users/components/UsersTable';

export default function UsersPage() {
  return (
    <>
      <h1>Users</h1>
      <Suspense>
        <UsersTable />
      </Suspense>
    </>
  );
}
