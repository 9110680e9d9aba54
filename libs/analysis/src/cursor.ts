import { DomainError } from '@storesync/core';

/** Opaque keyset cursors for the API: base64url of the last row's sort value and id. */
export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export class InvalidCursorError extends DomainError {
  constructor() {
    super('validation_failed', 'cursor: cursor is not one this API returned', { fields: [{ field: 'cursor', message: 'cursor is not one this API returned' }] });
  }
}

export function decodeCursor<T extends string | number | boolean | null = string>(cursor: string): { value: T; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string') throw new Error();
    return { value: parsed[0] as T, id: parsed[1] };
  } catch {
    throw new InvalidCursorError();
  }
}
