import { api } from '@/lib/api/client';
import type { AuditFilter, AuditPage } from './types';

export const AUDIT_PAGE_SIZE = 50;

export function fetchAudit(filter: AuditFilter, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return api.actions({ ...filter, limit: AUDIT_PAGE_SIZE, cursor: cursor ?? undefined }, { signal });
}
