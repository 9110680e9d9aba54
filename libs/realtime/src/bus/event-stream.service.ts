import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig } from '@storesync/config';
import { SYNC_EVENT_TYPES, SyncEvent, SyncEventType } from '@storesync/core';
import type { PublishedEvent } from '../realtime.types';
import { ReplayBuffer, ReplayResult } from './replay-buffer';

export type EventSink = (event: PublishedEvent) => void;

export interface EventStreamStats {
  seq: number;
  buffered: number;
  capacity: number;
  dropped: number;
  /** Deliveries to a sink (the gateway, a handler) that threw. */
  sinkFailures: number;
}

/**
 * Listens to every catalogue event on the in-process bus, stamps a monotonic `seq`,
 * keeps the last EVENT_QUEUE_SIZE events for replay, and hands each to the sinks
 * (the gateway, the run-time handlers). A failing sink never stops the others.
 */
@Injectable()
export class EventStreamService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventStreamService.name);
  private readonly buffer: ReplayBuffer;
  private readonly sinks = new Set<EventSink>();
  private readonly listeners = new Map<SyncEventType, (event: SyncEvent) => void>();
  private seq = 0;
  private sinkFailures = 0;

  constructor(
    private readonly emitter: EventEmitter2,
    config: AppConfig,
  ) {
    this.buffer = new ReplayBuffer(config.websocket.eventQueueSize);
  }

  onModuleInit(): void {
    for (const type of SYNC_EVENT_TYPES) {
      const listener = (event: SyncEvent) => this.publish(type, event);
      this.listeners.set(type, listener);
      this.emitter.on(type, listener);
    }
  }

  onModuleDestroy(): void {
    for (const [type, listener] of this.listeners) this.emitter.off(type, listener);
    this.listeners.clear();
  }

  /** Returns a function that removes the sink. */
  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  since(lastSeq: number): ReplayResult {
    return this.buffer.since(lastSeq, this.seq);
  }

  stats(): EventStreamStats {
    return { seq: this.seq, buffered: this.buffer.size, capacity: this.buffer.capacity, dropped: this.buffer.dropped, sinkFailures: this.sinkFailures };
  }

  private publish(type: SyncEventType, event: SyncEvent): void {
    if (!event || typeof event !== 'object') {
      this.logger.warn({ message: 'ignored an event without a payload', type });
      return;
    }
    const published: PublishedEvent = { ...event, type, seq: ++this.seq };
    this.buffer.push(published);
    for (const sink of this.sinks) {
      try {
        sink(published);
      } catch (error) {
        this.sinkFailures += 1;
        this.logger.error({ message: 'event sink failed', type, seq: published.seq, error: (error as Error).message });
      }
    }
  }
}
