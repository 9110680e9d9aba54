import { CanActivate, ExecutionContext, Injectable, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { SyncQueryService } from '@storesync/analysis';
import { UserTokenService } from '@storesync/realtime';
import type { Request, Response } from 'express';
import { FileIdPipe } from '../http/id-params';
import { ApiTokenService } from './api-token.service';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { forbidden } from './forbidden';
import { Principal, setPrincipal } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { RequestField, USER_ACCESS, UserAccessRule } from './user-access.decorator';

/**
 * Every HTTP route needs `Authorization: Bearer <token>` unless marked @Public. The admin
 * token opens every route; a user token (POST /api/sync/tokens) opens only routes marked
 * @UserAccess, and there only its own user's data.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly logger = new Logger(BearerAuthGuard.name);
  private userTokens?: UserTokenService;

  constructor(
    private readonly tokens: ApiTokenService,
    private readonly reflector: Reflector,
    private readonly queries: SyncQueryService,
    private readonly moduleRef: ModuleRef,
    private readonly limiter: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    await this.limited(response, async () => this.limiter.assertAllowed(address));
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
    const principal = match ? this.principal(match[1].trim()) : null;
    if (!principal) {
      // Only failures count towards AUTH_FAILURE_LIMIT; the one over it is answered 429.
      await this.limited(response, () => this.limiter.recordFailure(address));
      throw new UnauthorizedException(match ? 'invalid token' : 'missing Authorization: Bearer <token> header');
    }
    setPrincipal(request, principal);
    if (principal.role === 'admin') return true;
    const rule = this.reflector.get<UserAccessRule | undefined>(USER_ACCESS, context.getHandler());
    if (!rule) {
      this.logger.warn({ message: 'user token refused', reason: 'admin-only route', userId: principal.userId, route: `${request.method} ${request.path}` });
      throw forbidden('this route needs the admin token; a user token may only read and repair its own files (see docs/api.md)');
    }
    await this.enforce(rule, request, principal.userId);
    return true;
  }

  /** Runs a limiter step; its 429 gets the Retry-After header. */
  private async limited(response: Response, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
      throw error;
    }
  }

  private principal(token: string): Principal | null {
    if (this.tokens.verify(token)) return { role: 'admin' };
    // The realtime module owns user tokens (and their revocation); resolved once, lazily,
    // because it is registered by another module of the app than this global guard.
    this.userTokens ??= this.moduleRef.get(UserTokenService, { strict: false });
    // Checks signature, expiry and revocation alike for REST and Socket.IO.
    const socketPrincipal = this.userTokens.principal(token);
    if (socketPrincipal?.role !== 'user') return null;
    const expiresAt = socketPrincipal.expiresAt ?? this.userTokens.verify(token)?.expiresAt;
    return expiresAt ? { role: 'user', userId: socketPrincipal.userId, expiresAt } : null;
  }

  private async enforce(rule: UserAccessRule, request: Request, userId: string): Promise<void> {
    for (const field of rule.forbid ?? []) {
      const value = read(request, field);
      if (value !== undefined && value !== null && value !== false) throw forbidden(`${name(field)} may not be set with a user token`);
    }
    if (rule.user) {
      const named = rule.user.flatMap((field) => values(read(request, field)));
      if (named.length === 0) throw forbidden(`a user token must name its own user in ${rule.user.map(name).join(' or ')}`);
      if (named.some((value) => value !== userId)) throw forbidden("a user token may only use its own user's data");
    }
    if (rule.file) {
      const fileId = read(request, rule.file);
      if (typeof fileId !== 'string') throw forbidden(`${name(rule.file)} is required with a user token`);
      // The route's own 400 for a malformed id, before any store is asked about it.
      new FileIdPipe().transform(fileId);
      const owner = await this.queries.fileOwner(fileId);
      // Unknown to every store's records: the same 404 an admin gets, without checking anything.
      if (owner === null) throw new NotFoundException(`file ${fileId} not found`);
      if (owner !== userId) throw forbidden("a user token may only use its own user's files");
    }
    if (rule.issues) {
      const ids = values(read(request, rule.issues));
      if (ids.some((id) => typeof id !== 'string')) throw forbidden(`${name(rule.issues)} must be issue ids`);
      const owners = await this.queries.issueOwners(ids as string[]);
      if (ids.some((id) => owners.get(id as string) !== userId)) throw forbidden("a user token may only use its own user's issues");
    }
  }
}

function read(request: Request, field: RequestField): unknown {
  const [where, key] = field.split('.', 2) as ['params' | 'query' | 'body', string];
  const source: unknown = request[where];
  return source && typeof source === 'object' ? (source as Record<string, unknown>)[key] : undefined;
}

/** A field's values: absent → none, an array → its items, anything else → itself. */
function values(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

const name = (field: RequestField) => field.slice(field.indexOf('.') + 1);
