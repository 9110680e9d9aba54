import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { BusEvent, SYNC_EVENT_TYPES, SyncEventData, SyncEventType } from '@storesync/contract';
import type { OpsEventData, OpsEventType } from '@storesync/core';

/** Whom an event is about: its user (`null` for store-wide events) and, when it is about one file, the file. */
export interface EventSubject {
  userId: string | null;
  fileId?: string;
}

export type SyncEventListener<K extends SyncEventType = SyncEventType> = (event: BusEvent<K>) => void;

/**
 * The one way onto the in-process event bus: `publish(type, data, subject)` is checked against
 * the contract's event map at compile time, and so are the listeners added with `on`. Nothing
 * else calls the emitter.
 */
@Injectable()
export class EventPublisher {
  constructor(private readonly emitter: EventEmitter2) {}

  publish<K extends SyncEventType>(type: K, data: SyncEventData[K], subject: EventSubject): BusEvent<K> {
    const event: BusEvent<K> = {
      type,
      user_id: subject.userId,
      ...(subject.fileId !== undefined ? { file_id: subject.fileId } : {}),
      at: new Date().toISOString(),
      data,
    };
    this.emitter.emit(type, event);
    return event;
  }

  /** Listens to one type; returns the function that stops listening. */
  on<K extends SyncEventType>(type: K, listener: SyncEventListener<K>): () => void {
    this.emitter.on(type, listener);
    return () => void this.emitter.off(type, listener);
  }

  /** Listens to every catalogue type; returns the function that stops listening. */
  onEvery(listener: SyncEventListener): () => void {
    const stops = SYNC_EVENT_TYPES.map((type) => this.on(type, listener));
    return () => stops.forEach((stop) => stop());
  }

  /** An event between the service's own modules (never sent to a socket); its payload is the event. */
  publishOps<K extends OpsEventType>(type: K, data: OpsEventData[K]): void {
    this.emitter.emit(type, data);
  }

  onOps<K extends OpsEventType>(type: K, listener: (data: OpsEventData[K]) => void): () => void {
    this.emitter.on(type, listener);
    return () => void this.emitter.off(type, listener);
  }
}

/**
 * `@OnEvent` for a catalogue type, with the handler's parameter checked against the map.
 * A throwing handler is logged by the emitter, never fatal; handlers should still catch their own.
 */
export function OnSyncEvent<K extends SyncEventType>(type: K) {
  const decorator = OnEvent(type, { suppressErrors: true });
  return <T extends (event: BusEvent<K>) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): void => {
    decorator(target, key, descriptor);
  };
}
