export { EventPublisher, OnSyncEvent, type EventSubject, type SyncEventListener } from './event-publisher';
export { EventPublisherModule } from './event-publisher.module';
