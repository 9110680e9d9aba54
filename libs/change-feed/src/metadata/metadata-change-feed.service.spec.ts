import type { AppConfig } from '@storesync/config';
import type { FileRecord } from '@storesync/core';
import type { EventPublisher } from '@storesync/events';
import type { FileCheckScheduler } from '@storesync/realtime';
import { ChangeStreamsUnsupportedError, MetadataChange, MetadataStore, ResumeTokenLostError } from '@storesync/storage';
import type { FeedStateDocument, FeedStateRepository } from '../feed-state.repository';
import { FeedStatusService } from '../feed-status.service';
import { MetadataChangeFeed } from './metadata-change-feed.service';

type Script = (options: { resumeAfter?: unknown; signal?: AbortSignal }) => AsyncIterable<MetadataChange>;

const change = (operation: MetadataChange['operation'], fileId: string | null, token: string, documentId: string | null = null): MetadataChange => ({
  operation,
  fileId,
  documentId,
  at: new Date(),
  resumeToken: { _data: token },
});

/** Yields the changes, then waits until the feed stops (as a live stream does). */
function stream(...changes: MetadataChange[]): Script {
  return async function* ({ signal }) {
    yield* changes;
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  };
}

function harness(scripts: Script[], windowRecords: FileRecord[] = [], mode: 'auto' | 'poll' = 'auto') {
  const saved = new Map<string, FeedStateDocument>();
  const scheduled: string[] = [];
  const watchCalls: unknown[] = [];
  const changedSinceCalls: Date[] = [];
  const metadata = {
    watchChanges(options: { resumeAfter?: unknown; signal?: AbortSignal }) {
      watchCalls.push(options.resumeAfter);
      const script = scripts.shift();
      if (!script) throw new Error('no more scripted streams');
      return script(options);
    },
    async changedSince(since: Date) {
      changedSinceCalls.push(since);
      return windowRecords.filter((r) => r.updatedAt >= since);
    },
  } as unknown as MetadataStore;
  const states = {
    get: async (id: string) => saved.get(id) ?? null,
    save: async (doc: FeedStateDocument) => void saved.set(doc.id, structuredClone(doc)),
  } as unknown as FeedStateRepository;
  const status = new FeedStatusService({ publishOps: () => undefined } as unknown as EventPublisher);
  const config = { changeFeed: { metadata: mode, pollIntervalMs: 20, overlapSeconds: 60 } } as unknown as AppConfig;
  const make = () =>
    new MetadataChangeFeed(metadata, { schedule: (id: string) => scheduled.push(id) } as unknown as FileCheckScheduler, states, status, config);
  return { make, saved, scheduled, watchCalls, changedSinceCalls, status };
}

const record = (fileId: string, updatedAt: Date): FileRecord => ({
  fileId,
  userId: 'u',
  fileKey: `u/${fileId}`,
  fileName: fileId,
  fileSize: 1,
  contentType: 'text/plain',
  isActive: true,
  createdAt: updatedAt,
  updatedAt,
});

const until = async (probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(probe()).toBe(true);
};

describe(MetadataChangeFeed.name, () => {
  it('schedules a check per change and resumes after a restart from the saved token', async () => {
    const h = harness([stream(change('ready', null, 't0'), change('update', 'a', 't1')), stream(change('ready', null, 't1'))]);
    const first = h.make();
    first.onApplicationBootstrap();
    await until(() => h.scheduled.includes('a'));
    await first.onApplicationShutdown();
    expect(h.saved.get('mongodb')?.resume_token).toEqual({ _data: 't1' });

    const second = h.make();
    second.onApplicationBootstrap();
    await until(() => h.watchCalls.length === 2);
    await second.onApplicationShutdown();
    expect(h.watchCalls).toEqual([undefined, { _data: 't1' }]);
  });

  it('maps a delete that names only _id back to the file seen under it', async () => {
    const h = harness([stream(change('ready', null, 't0'), change('insert', 'file-1', 't1', 'doc-1'), change('delete', null, 't2', 'doc-1'))]);
    const sut = h.make();
    sut.onApplicationBootstrap();
    await until(() => h.scheduled.length === 2);
    await sut.onApplicationShutdown();
    expect(h.scheduled).toEqual(['file-1', 'file-1']);
  });

  it('re-reads the missed window by updated_at when the token is lost, then follows a new stream', async () => {
    const mark = new Date(Date.now() - 10 * 60_000);
    const lost: Script = () => {
      throw new ResumeTokenLostError('ChangeStreamHistoryLost');
    };
    const h = harness(
      [lost, stream(change('ready', null, 'fresh'))],
      [record('missed', new Date(mark.getTime() + 1000)), record('long-ago', new Date(mark.getTime() - 3600_000))],
    );
    h.saved.set('mongodb', {
      id: 'mongodb',
      mode: 'change_stream',
      resume_token: { _data: 'old' },
      high_water: mark.toISOString(),
      last_event_at: null,
      updated_at: mark.toISOString(),
    });
    const sut = h.make();
    sut.onApplicationBootstrap();
    await until(() => h.watchCalls.length === 2);
    await sut.onApplicationShutdown();
    expect(h.watchCalls).toEqual([{ _data: 'old' }, undefined]);
    expect(h.changedSinceCalls[0].getTime()).toBe(mark.getTime() - 60_000);
    expect(h.scheduled).toEqual(['missed']);
  });

  it('treats an invalidated stream as a lost token', async () => {
    const h = harness([stream(change('ready', null, 't0'), change('invalidate', null, 't1')), stream(change('ready', null, 't2'))]);
    const sut = h.make();
    sut.onApplicationBootstrap();
    await until(() => h.watchCalls.length === 2);
    await sut.onApplicationShutdown();
    expect(h.watchCalls[1]).toBeUndefined();
  });

  it('falls back to polling on a server without change streams, and says so', async () => {
    const unsupported: Script = () => {
      throw new ChangeStreamsUnsupportedError('not a replica set');
    };
    const h = harness([unsupported], [record('recent', new Date())]);
    const sut = h.make();
    sut.onApplicationBootstrap();
    await until(() => h.scheduled.includes('recent'));
    expect(h.status.get('mongodb')).toMatchObject({ mode: 'poll', connected: true });
    await sut.onApplicationShutdown();
    expect(h.saved.get('mongodb')).toMatchObject({ mode: 'poll', resume_token: null });
  });
});
