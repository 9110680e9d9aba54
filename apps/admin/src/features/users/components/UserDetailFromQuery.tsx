'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { UserDetail } from './UserDetail';

export function UserDetailFromQuery() {
  const userId = useSearchParams().get('id') ?? '';
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/users/">Users</Link> / <span aria-current="page">{userId || '—'}</span>
      </nav>
      <h1 className="visually-hidden">User {userId}</h1>
      <UserDetail key={userId} userId={userId} />
    </>
  );
}
