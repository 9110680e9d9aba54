import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { EventPublisher } from './event-publisher';

/** The in-process bus, installed once by the composition root (server and CLI); global so every module can publish. */
@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: false, maxListeners: 50 })],
  providers: [EventPublisher],
  exports: [EventPublisher],
})
export class EventPublisherModule {}
