import { Controller, Get, Logger, NotFoundException, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@storesync/config';
import { UserTokenService } from '@storesync/realtime';
import type { Request } from 'express';
import { Public } from '../auth/public.decorator';
import { forbidden } from '../auth/forbidden';
import { DEMO_USERS } from './demo-seed.service';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const DEFAULT_DEMO_USER = 'bob';

/**
 * A user token for the panel demo (/panel-demo/), without the admin token. Safe only as a
 * local demo, so it answers only when all hold: demo data is seeded (SEED_DEMO), no
 * SYNC_API_TOKEN is set (the server then listens on 127.0.0.1 only), the request comes from
 * loopback, and the user is one of the demo's users. Anything else: 404, as if absent.
 * A real application makes user tokens in its backend with POST /api/sync/tokens.
 */
@ApiTags('demo')
@Controller('api/demo')
export class PanelDemoController {
  private readonly logger = new Logger(PanelDemoController.name);

  constructor(
    private readonly config: AppConfig,
    private readonly tokens: UserTokenService,
  ) {}

  @Public()
  @Get('panel-token')
  @ApiOperation({ summary: 'Local demo only: a user token for a demo user (404 unless SEED_DEMO, no SYNC_API_TOKEN, a loopback caller)' })
  panelToken(@Query('user_id') userId: unknown, @Req() request: Request) {
    const address = request.socket.remoteAddress ?? '';
    if (!this.config.seedDemo || this.config.sync.apiToken || !LOOPBACK.has(address)) {
      throw new NotFoundException('the panel demo is off: it runs under `npm start` (SEED_DEMO, no SYNC_API_TOKEN, from this machine)');
    }
    const user = userId === undefined || userId === '' ? DEFAULT_DEMO_USER : userId;
    if (typeof user !== 'string' || !(DEMO_USERS as readonly string[]).includes(user)) {
      throw forbidden(`the panel demo hands out tokens for the demo users only: ${DEMO_USERS.join(', ')}`);
    }
    const { token, expiresAt } = this.tokens.issue(user);
    this.logger.log({ message: 'panel demo token issued', userId: user });
    return { token, user_id: user, expires_at: expiresAt.toISOString() };
  }
}
