import { Module } from '@nestjs/common';
import { RealtimeModule } from '@storesync/realtime';
import { ApiTokenService } from '../auth/api-token.service';
import { EventsController } from './events.controller';

/** Socket.IO events and the HTTP routes around them (user tokens, backend notifications). */
@Module({
  imports: [RealtimeModule.forRoot({ adminToken: ApiTokenService })],
  controllers: [EventsController],
  // User tokens are made here and by the panel demo.
  exports: [RealtimeModule],
})
export class EventsModule {}
