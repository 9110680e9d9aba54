import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AnalysisModule } from '@storesync/analysis';
import { ApiTokenService } from './api-token.service';
import { BearerAuthGuard } from './bearer-auth.guard';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { SessionController } from './session.controller';

/** The admin token and the guard of every route; the guard asks the analysis who owns a file or an issue. */
@Global()
@Module({
  imports: [AnalysisModule],
  controllers: [SessionController],
  providers: [ApiTokenService, FailedAuthLimiter, { provide: APP_GUARD, useClass: BearerAuthGuard }],
  exports: [ApiTokenService],
})
export class AuthModule {}
