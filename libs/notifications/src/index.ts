export { NotificationsModule } from './notifications.module';
export { NotificationsService, ChannelNotFoundError, DeliveryNotFoundError, DeliveryNotDeadError, type ChannelView } from './notifications.service';
export { NotificationChannel, DeliveryError } from './channels/notification-channel';
export { signWebhook, verifyWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './channels/webhook-signature';
export type * from './notification.types';
