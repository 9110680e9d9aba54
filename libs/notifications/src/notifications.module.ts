import { Module } from '@nestjs/common';
import { ChannelRegistry } from './channels/channel-registry';
import { DeliveryWorker } from './delivery-worker.service';
import { NotificationsService } from './notifications.service';
import { DeliveryRepository } from './repositories/delivery.repository';
import { NotificationRulesListener } from './rules/notification-rules.listener';

/** Notification channels (webhook, Slack-compatible, email), rules and digests, a persisted outbox. */
@Module({
  providers: [ChannelRegistry, DeliveryRepository, NotificationsService, DeliveryWorker, NotificationRulesListener],
  exports: [NotificationsService],
})
export class NotificationsModule {}
