import { DomainError } from '@storesync/core';

/** Opaque keyset cursors for the API: base64url of the last row's sort value and id. */
export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export class InvalidCursorError extends DomainError {
  constructor() {
    super('invalid_cursor', 'cursor: cursor is not one this API returned', { fields: [{ field: 'cursor', message: 'cursor is not one this API returned' }] });
  }
}

/** What a page's sort value is: a key (string), an ISO time, or nothing (pages sorted by id alone). */
export type CursorValueKind = 'string' | 'iso-time' | 'null';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const MAX_PART_LENGTH = 1024;

/**
 * Decodes a cursor and type-checks both parts against what this page's sort uses: a crafted
 * cursor (an object such as {"$gt": ""}, a number, a huge string) is a 400 naming `cursor`,
 * never a query the store rejects (which read as the store being down) or an operator.
 */
export function decodeCursor(cursor: string, kind: 'null'): { value: null; id: string };
export function decodeCursor(cursor: string, kind?: 'string' | 'iso-time'): { value: string; id: string };
export function decodeCursor(cursor: string, kind: CursorValueKind = 'string'): { value: string | null; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [value, id] = parsed as unknown[];
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_PART_LENGTH) throw new InvalidCursorError();
  if (kind === 'null') {
    if (value !== null) throw new InvalidCursorError();
    return { value: null, id };
  }
  if (typeof value !== 'string' || value.length > MAX_PART_LENGTH) throw new InvalidCursorError();
  if (kind === 'iso-time' && !(ISO_TIME.test(value) && Number.isFinite(Date.parse(value)))) throw new InvalidCursorError();
  return { value, id };
}
