import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who an HTTP request acts for: the admin token, or a user token of one user. */
export type Principal = { role: 'admin' } | { role: 'user'; userId: string; expiresAt: Date };

const PRINCIPAL = Symbol('storesync.principal');
type WithPrincipal = Request & { [PRINCIPAL]?: Principal };

/** Set once by the bearer guard. */
export function setPrincipal(request: Request, principal: Principal): void {
  (request as WithPrincipal)[PRINCIPAL] = principal;
}

/** The request's principal. A guarded route always has one: its absence is a bug, never admin by default. */
export function principalOf(request: Request): Principal {
  const principal = (request as WithPrincipal)[PRINCIPAL];
  if (!principal) throw new Error('no principal on a request: the route is public or the bearer guard did not run');
  return principal;
}

/** Handler parameter: the request's Principal. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal =>
  principalOf(context.switchToHttp().getRequest<Request>()),
);
