import { BadRequestException } from '@nestjs/common';

/** Ids the multi-agent backend uses: letters, digits and . _ @ -, at most 128. */
export const USER_ID_PATTERN = /^[A-Za-z0-9._@-]{1,128}$/;
export const USER_ID_MESSAGE = 'user_id must be 1-128 characters of letters, digits, . _ @ -';

/** A 400 in the shape the validation pipe uses, naming the field. */
export function invalidField(field: string, message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, fields: [{ field, message }] });
}

/** For inputs outside DTOs (multipart fields, route params). */
export function requireUserId(value: unknown, field = 'user_id'): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidField(field, `${field} is required`);
  if (!USER_ID_PATTERN.test(value)) throw invalidField(field, USER_ID_MESSAGE.replace(/^user_id/, field));
  return value;
}
