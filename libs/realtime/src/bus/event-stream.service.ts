import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { SyncEvent } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
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
  private stopListening?: () => void;
  private seq = 0;
  private sinkFailures = 0;

  constructor(
    private readonly events: EventPublisher,
    config: AppConfig,
  ) {
    this.buffer = new ReplayBuffer(config.websocket.eventQueueSize);
  }

  onModuleInit(): void {
    this.stopListening = this.events.onEvery((event) => this.publish(event));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
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

  private publish(event: SyncEvent): void {
    const type = event.type;
    const published = { ...event, seq: ++this.seq } as PublishedEvent;
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
