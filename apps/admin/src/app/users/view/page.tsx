import { Suspense } from 'react';
import { UserDetailFromQuery } from '@/features/users/components/UserDetailFromQuery';

// Static export has no dynamic segments: the user comes from `?id=`.
export default function UserViewPage() {
  return (
    <Suspense>
      <UserDetailFromQuery />
    </Suspense>
  );
}
