import { api, StoreSyncError } from '@/lib/api/client';

/** Whether the API accepts this admin token (any authenticated read will do). */
export async function verifyAdminToken(token: string): Promise<'ok' | 'refused'> {
  try {
    await api.runs({ limit: 1 }, { token });
    return 'ok';
  } catch (error) {
    if (StoreSyncError.is(error, 'unauthorized') || StoreSyncError.is(error, 'forbidden')) return 'refused';
    throw error;
  }
}
