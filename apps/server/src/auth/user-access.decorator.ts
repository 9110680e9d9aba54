import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';

/** A request value by where it sits: a route param, a query parameter or a JSON body field. */
export type RequestField = `params.${string}` | `query.${string}` | `body.${string}`;

/**
 * What a user token may do on a route. Without this decorator a route is for the admin
 * token only. Each given check must pass, else 403 `forbidden`:
 * - `user`: fields naming users (strings or arrays); at least one must be given and
 *   every value must be the token's own user id;
 * - `file`: a field holding a file id whose owner must be the token's user;
 * - `issues`: a field holding issue ids that must all be the token's user's;
 * - `forbid`: fields a user token may not set (anything but absent or false).
 */
export interface UserAccessRule {
  user?: RequestField[];
  file?: RequestField;
  issues?: RequestField;
  forbid?: RequestField[];
  /** What a user token may do here, in words (OpenAPI `x-user-token`, docs/api.md). */
  description: string;
}

export const USER_ACCESS = 'storesync:user-access';

/** Opens a route to user tokens under the rule's checks (the bearer guard applies them). */
export const UserAccess = (rule: UserAccessRule) =>
  applyDecorators(
    SetMetadata(USER_ACCESS, rule),
    ApiExtension('x-user-token', rule.description),
    ApiForbiddenResponse({ description: `code "forbidden": a user token outside its scope (${rule.description})` }),
  );
