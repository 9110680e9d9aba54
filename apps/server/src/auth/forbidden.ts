import { ForbiddenException } from '@nestjs/common';

/** The stable code of every refusal of a user token (docs/api.md). */
export const FORBIDDEN_CODE = 'forbidden';

/** 403 in the error shape of the API, with a message saying what a user token may not do. */
export function forbidden(message: string): ForbiddenException {
  return new ForbiddenException({ statusCode: 403, error: 'Forbidden', code: FORBIDDEN_CODE, message });
}
