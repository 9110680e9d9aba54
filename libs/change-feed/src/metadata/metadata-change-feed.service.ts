import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { FileCheckScheduler } from '@storesync/realtime';
import { ChangeStreamsUnsupportedError, MetadataStore, ResumeTokenLostError } from '@storesync/storage';
import { FeedStateDocument, FeedStateRepository } from '../feed-state.repository';
import { FeedStatusService } from '../feed-status.service';
import { WindowPoller } from './window-poller';

const FEED = 'mongodb';
/** The resume token is saved at most this often (and when the feed stops). */
const SAVE_EVERY_MS = 1000;
const RETRY_MS = [1000, 2000, 5000, 10000, 30000];
/** Deletes name only `_id`: the file ids of documents seen recently, to map them back. */
const ID_MEMORY = 10000;

/**
 * Notices metadata written behind storesync's back and schedules a single-file check of
 * each changed file (after the grace window; the periodic full scan stays the safety net).
 * A change stream when the server has one, resumed from the persisted token; when the token
 * is lost, the missed window is re-read by updated_at. Without change streams (FerretDB v1,
 * a standalone mongod, the embedded store) it polls by updated_at instead, automatically.
 */
@Injectable()
export class MetadataChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetadataChangeFeed.name);
  private readonly abort = new AbortController();
  private readonly documentFiles = new Map<string, string>();
  private loop?: Promise<void>;
  private mode: 'change_stream' | 'poll';

  constructor(
    private readonly metadata: MetadataStore,
    private readonly scheduler: FileCheckScheduler,
    private readonly states: FeedStateRepository,
    private readonly status: FeedStatusService,
    private readonly config: AppConfig,
  ) {
    this.mode = config.changeFeed.metadata === 'poll' ? 'poll' : 'change_stream';
  }

  /** Started after bootstrap: checks it schedules emit events, which must not be lost to init. */
  onApplicationBootstrap(): void {
    if (this.config.changeFeed.metadata === 'off') return;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.mode === 'change_stream') await this.followStream();
        else await this.poll();
        failures = 0;
      } catch (error) {
        if (this.stopped) break;
        if (error instanceof ChangeStreamsUnsupportedError && this.config.changeFeed.metadata === 'auto') {
          this.logger.log({ message: 'no change streams on this metadata server: polling by updated_at', reason: error.message });
          this.mode = 'poll';
          continue;
        }
        if (error instanceof ResumeTokenLostError) {
          this.logger.warn({ message: 'resume token lost: re-reading the missed window by updated_at', reason: error.message });
          await this.forgetToken().catch(() => undefined);
          continue;
        }
        const message = (error as Error).message;
        this.status.setMode(FEED, this.mode, false, message);
        const wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
        this.logger.warn({ message: 'metadata change feed interrupted, retrying', mode: this.mode, retryInMs: wait, error: message });
        await this.sleep(wait);
      }
    }
    this.status.setMode(FEED, this.mode, false);
  }

  private async followStream(): Promise<void> {
    const saved = await this.states.get(FEED);
    // No token to resume from but a mark from before (first stream after polling, or the
    // token was lost): what happened since the mark is read back by updated_at.
    if (!saved?.resume_token && saved?.high_water) await this.reread(new Date(saved.high_water));
    let state = this.stateFrom(saved, 'change_stream');
    let savedAt = 0;
    try {
      for await (const change of this.metadata.watchChanges({ resumeAfter: saved?.resume_token ?? undefined, signal: this.abort.signal })) {
        state = { ...state, resume_token: change.resumeToken ?? state.resume_token, high_water: new Date().toISOString() };
        if (change.operation === 'ready') {
          this.status.setMode(FEED, 'change_stream', true);
          this.logger.log({ message: 'metadata change stream open', resumed: !!saved?.resume_token });
        } else if (change.operation === 'invalidate') {
          // The collection was dropped or renamed: the stream cannot go on from this token.
          throw new ResumeTokenLostError('the change stream was invalidated');
        } else {
          let fileId = change.fileId;
          if (fileId && change.documentId) this.remember(change.documentId, fileId);
          if (!fileId && change.documentId) fileId = this.documentFiles.get(change.documentId) ?? null;
          if (fileId) this.scheduler.schedule(fileId);
          else this.logger.debug({ message: 'a deleted document of unknown file id: left to the full scan', documentId: change.documentId });
          this.status.change(FEED, change.at, !!fileId);
          state.last_event_at = new Date().toISOString();
        }
        if (Date.now() - savedAt >= SAVE_EVERY_MS) {
          savedAt = Date.now();
          await this.save(state);
        }
      }
    } finally {
      if (state.resume_token) await this.save(state).catch(() => undefined);
    }
  }

  private async poll(): Promise<void> {
    const saved = await this.states.get(FEED);
    const poller = new WindowPoller(this.metadata, this.config.changeFeed.overlapSeconds * 1000, saved?.high_water ? new Date(saved.high_water) : new Date());
    let state = this.stateFrom(saved, 'poll');
    while (!this.stopped) {
      const { changed, deleted, highWater } = await poller.poll();
      this.status.setMode(FEED, 'poll', true);
      for (const record of changed) {
        this.scheduler.schedule(record.fileId);
        this.status.change(FEED, record.updatedAt, true);
      }
      for (const fileId of deleted) {
        this.scheduler.schedule(fileId);
        this.status.change(FEED, null, true);
      }
      const seenAny = changed.length + deleted.length > 0;
      state = { ...state, high_water: highWater.toISOString(), last_event_at: seenAny ? new Date().toISOString() : state.last_event_at };
      await this.save(state);
      await this.sleep(this.config.changeFeed.pollIntervalMs);
    }
  }

  /** Schedules a check of every record changed since an overlap before `since`. */
  private async reread(since: Date): Promise<void> {
    const poller = new WindowPoller(this.metadata, this.config.changeFeed.overlapSeconds * 1000, since);
    const { changed } = await poller.poll();
    for (const record of changed) this.scheduler.schedule(record.fileId);
    this.logger.log({ message: 're-read the missed window by updated_at', since: since.toISOString(), files: changed.length });
  }

  private async forgetToken(): Promise<void> {
    const saved = await this.states.get(FEED);
    await this.save({ ...this.stateFrom(saved, 'change_stream'), resume_token: null, high_water: saved?.high_water ?? new Date().toISOString() });
  }

  private stateFrom(saved: FeedStateDocument | null, mode: string): FeedStateDocument {
    return {
      id: FEED,
      mode,
      resume_token: mode === 'change_stream' ? (saved?.resume_token ?? null) : null,
      high_water: saved?.high_water ?? null,
      last_event_at: saved?.last_event_at ?? null,
      updated_at: new Date().toISOString(),
    };
  }

  private save(state: FeedStateDocument): Promise<void> {
    return this.states.save({ ...state, updated_at: new Date().toISOString() });
  }

  private remember(documentId: string, fileId: string): void {
    this.documentFiles.delete(documentId);
    this.documentFiles.set(documentId, fileId);
    if (this.documentFiles.size > ID_MEMORY) this.documentFiles.delete(this.documentFiles.keys().next().value!);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
