import { ApiError, apiRequest } from '@/lib/api/client';

/** Whether the API accepts this admin token (any authenticated read will do). */
export async function verifyAdminToken(token: string): Promise<'ok' | 'refused'> {
  try {
    await apiRequest('/api/sync/runs', { query: { limit: 1 }, token });
    return 'ok';
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return 'refused';
    throw error;
  }
}
