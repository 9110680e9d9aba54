import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTokenService } from './api-token.service';
import { BearerAuthGuard } from './bearer-auth.guard';

@Global()
@Module({
  providers: [ApiTokenService, { provide: APP_GUARD, useClass: BearerAuthGuard }],
  exports: [ApiTokenService],
})
export class AuthModule {}
