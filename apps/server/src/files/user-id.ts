import { BadRequestException } from '@nestjs/common';

export const USER_ID_PATTERN = /^[A-Za-z0-9._@-]{1,128}$/;

/** 400 naming the field when `value` is not a user id. */
export function requireUserId(value: unknown, field = 'user_id'): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidField(field, `${field} is required`);
  if (!USER_ID_PATTERN.test(value)) {
    throw invalidField(field, `${field} must be 1-128 characters of letters, digits, '.', '_', '@' or '-'`);
  }
  return value;
}

export function invalidField(field: string, message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, fields: [{ field, message }] });
}
