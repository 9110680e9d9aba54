import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiTokenService } from './api-token.service';
import { IS_PUBLIC } from './public.decorator';

/** Every HTTP route needs `Authorization: Bearer <SYNC_API_TOKEN>` unless marked @Public. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: ApiTokenService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('missing Authorization: Bearer <token> header');
    if (!this.tokens.verify(match[1].trim())) throw new UnauthorizedException('invalid token');
    return true;
  }
}
