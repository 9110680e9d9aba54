import { Injectable } from '@nestjs/common';
import { StateCollection, StateFilter, StateStore } from '@storesync/storage';
import type { DeliveryDocument, DeliveryStatus } from '../notification.types';

/** The outbox and delivery log (`notification_deliveries`), one document per message and channel. */
@Injectable()
export class DeliveryRepository {
  private readonly deliveries: StateCollection<DeliveryDocument>;

  constructor(state: StateStore) {
    this.deliveries = state.collection<DeliveryDocument>('notification_deliveries', [['status', 'next_attempt_at'], ['created_at']]);
  }

  insert(docs: DeliveryDocument[]): Promise<void> {
    return this.deliveries.insertMany(docs);
  }

  get(id: string): Promise<DeliveryDocument | null> {
    return this.deliveries.get(id);
  }

  update(id: string, fields: Partial<DeliveryDocument>): Promise<boolean> {
    return this.deliveries.update(id, fields);
  }

  /** Pending deliveries whose next attempt is due, oldest due first. */
  due(now: Date, limit: number): Promise<DeliveryDocument[]> {
    return this.deliveries.find({ status: 'pending', next_attempt_at: { $lt: now.toISOString() } }, { sortBy: 'next_attempt_at', order: 'asc', limit });
  }

  list(filter: { status?: DeliveryStatus; channel?: string }, limit: number): Promise<DeliveryDocument[]> {
    const query: StateFilter = {};
    if (filter.status) query.status = filter.status;
    if (filter.channel) query.channel = filter.channel;
    return this.deliveries.find(query, { sortBy: 'created_at', order: 'desc', limit });
  }
}
