import { Module } from '@nestjs/common';
import { NotificationsModule } from '@storesync/notifications';
import { NotificationsController } from './notifications.controller';

@Module({ imports: [NotificationsModule], controllers: [NotificationsController] })
export class NotificationsHttpModule {}
