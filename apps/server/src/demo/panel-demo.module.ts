import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PanelDemoController } from './panel-demo.controller';

/** The panel demo's token route (the page itself is static, served by bootstrap.ts). */
@Module({ imports: [EventsModule], controllers: [PanelDemoController] })
export class PanelDemoModule {}
