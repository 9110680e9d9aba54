import { ConflictError, StoreError, StoreErrorCode, StoreUnavailableError } from '@storesync/core';

/**
 * Server codes that refuse one document's write for what the document holds (a field of
 * another type than the update expects, a validator, its size): the server is up and the
 * same write will be refused again, so it is not an outage.
 */
const REFUSED = new Map<number, string>([
  [2, 'BadValue'],
  [14, 'TypeMismatch'],
  [28, 'PathNotViable'],
  [66, 'ImmutableField'],
  [121, 'DocumentValidationFailure'],
  [10334, 'BSONObjectTooLarge'],
  [17419, 'document too large'],
]);

/** A write the server answered by refusing the document: names the reason by its server code, not the server's text. */
export function refusedWrite(code: number | undefined): StoreError | null {
  const name = code === undefined ? undefined : REFUSED.get(code);
  return name
    ? new StoreError(StoreErrorCode.Invalid, 'mongodb', `mongodb refused to write the document: ${name} (code ${code}); its fields do not fit the update`)
    : null;
}

/**
 * A duplicate key is a conflict and a refused document invalid; everything else means the
 * server could not do what was asked (network, selection timeout, closed client, server
 * error): report unavailable, so no caller mistakes an outage for absent data.
 */
export function mapMongoError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: number }).code;
  const message = (error as Error)?.message ?? String(error);
  if (code === 11000) return new ConflictError('mongodb', `duplicate key: ${message}`);
  return refusedWrite(code) ?? new StoreUnavailableError('mongodb', message, error);
}

export async function guardMongo<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw mapMongoError(error);
  }
}
