import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SyncEventData, SyncEventType } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import type { EmbeddingNotification, FileNotification, PublishedEvent, SyncEventHandler } from '../realtime.types';
import { EventStreamService } from './event-stream.service';
import { FileCheckScheduler } from './file-check.scheduler';

type HandlerKey = SyncEventType | '*';

/**
 * The event bus: handlers registered at run time, and the entry points for what the
 * multi-agent backend did to a file itself (each one published as an event and followed
 * by a single-file check after the grace window).
 */
@Injectable()
export class EventBusService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventBusService.name);
  private readonly handlers = new Map<HandlerKey, Set<SyncEventHandler>>();
  private unsubscribe?: () => void;

  constructor(
    private readonly events: EventPublisher,
    private readonly stream: EventStreamService,
    private readonly scheduler: FileCheckScheduler,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.stream.subscribe((event) => this.dispatch(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Adds a handler for one type or every type ('*'); returns a function that removes it. */
  registerEventHandler(type: HandlerKey, handler: SyncEventHandler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => this.unregisterEventHandler(type, handler);
  }

  unregisterEventHandler(type: HandlerKey, handler: SyncEventHandler): boolean {
    return this.handlers.get(type)?.delete(handler) ?? false;
  }

  handleFileUpload(n: FileNotification): void {
    this.notify('file.uploaded', n.userId, n.fileId, { file_key: n.fileKey ?? '', file_name: n.fileName ?? '' });
  }

  handleFileDelete(n: FileNotification): void {
    this.notify('file.deleted', n.userId, n.fileId, n.fileKey ? { file_key: n.fileKey } : {});
  }

  handleEmbeddingCreated(n: EmbeddingNotification): void {
    this.notify('embedding.created', n.userId, n.fileId, { chunks: n.chunks ?? 0, model: n.model ?? '' });
  }

  handleEmbeddingDeleted(n: EmbeddingNotification): void {
    this.notify('embedding.deleted', n.userId, n.fileId, n.points === undefined ? {} : { points: n.points });
  }

  private notify<K extends SyncEventType>(type: K, userId: string, fileId: string, data: SyncEventData[K]): void {
    this.events.publish(type, data, { userId, fileId });
    this.scheduler.schedule(fileId);
  }

  private dispatch(event: PublishedEvent): void {
    for (const key of [event.type, '*'] as HandlerKey[]) {
      for (const handler of this.handlers.get(key) ?? []) {
        try {
          const result = handler(event);
          if (result && typeof result.catch === 'function') {
            result.catch((error) => this.logFailure(event, error));
          }
        } catch (error) {
          this.logFailure(event, error);
        }
      }
    }
  }

  private logFailure(event: PublishedEvent, error: unknown): void {
    this.logger.error({ message: 'event handler failed', type: event.type, seq: event.seq, error: (error as Error)?.message ?? String(error) });
  }
}
