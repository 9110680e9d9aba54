import { ConflictError, StoreError, StoreUnavailableError } from '@storesync/core';

/**
 * Everything but a duplicate key means the server could not do what was asked
 * (network, selection timeout, closed client, server error): report unavailable,
 * so no caller mistakes an outage for absent data.
 */
export function mapMongoError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: number }).code;
  const message = (error as Error)?.message ?? String(error);
  if (code === 11000) return new ConflictError('mongodb', `duplicate key: ${message}`);
  return new StoreUnavailableError('mongodb', message, error);
}

export async function guardMongo<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw mapMongoError(error);
  }
}
