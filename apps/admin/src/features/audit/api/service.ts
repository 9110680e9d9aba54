import { apiRequest } from '@/lib/api/client';
import type { AuditFilter, AuditPage } from './types';

export const AUDIT_PAGE_SIZE = 50;

export function fetchAudit(filter: AuditFilter, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest<AuditPage>('/api/sync/actions', { query: { ...filter, limit: AUDIT_PAGE_SIZE, cursor }, signal });
}
