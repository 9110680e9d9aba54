import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@storesync/config';
import type { SessionResponse } from '@storesync/contract';
import { CurrentPrincipal, type Principal } from './principal';
import { UserAccess } from './user-access.decorator';

/** Who the bearer token is: lets an embedded UI (the Sync Status Panel) learn its user and what it may do. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/sync')
export class SessionController {
  constructor(private readonly config: AppConfig) {}

  @Get('me')
  @ApiOperation({ summary: "The token's role, user, expiry and the repairs a user token may ask for" })
  @UserAccess({ description: 'always: about its own token' })
  me(@CurrentPrincipal() principal: Principal): SessionResponse {
    return {
      role: principal.role,
      user_id: principal.role === 'user' ? principal.userId : null,
      expires_at: principal.role === 'user' ? principal.expiresAt.toISOString() : null,
      user_repair_actions: this.config.sync.userRepairActions,
    };
  }
}
