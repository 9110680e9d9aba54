import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeleteObjectCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import type { PublishedEvent } from '@storesync/realtime';
import { seedFile } from '../support/seed';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';
import { freePort, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, minioWebhookArn, RunningServer, startMinio } from '../support/stack';

const GRACE_SECONDS = 1;
/** The promise: detected within the grace window plus 5 s. */
const DETECTION_BUDGET_MS = GRACE_SECONDS * 1000 + 5000;

interface Watcher {
  socket: Socket;
  events: PublishedEvent[];
  /** Resolves with the first `sync.issue.detected` of this type for this file, and when it arrived. */
  detected(type: string, fileId: string, timeoutMs?: number): Promise<{ event: PublishedEvent; at: number }>;
}

async function watch(server: TestServer): Promise<Watcher> {
  const socket = io(`${server.url}/sync`, { auth: { token: server.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: PublishedEvent[] = [];
  const arrivals = new Map<PublishedEvent, number>();
  const take = (event: PublishedEvent) => {
    events.push(event);
    arrivals.set(event, Date.now());
  };
  socket.on('event', take);
  socket.on('events', (batch: PublishedEvent[]) => batch.forEach(take));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(5000).emitWithAck('subscribe', { all: true })) as { ok: boolean };
  expect(ack.ok).toBe(true);
  return {
    socket,
    events,
    async detected(type, fileId, timeoutMs = DETECTION_BUDGET_MS + 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const event = events.find((e) => e.type === 'sync.issue.detected' && e.file_id === fileId && (e.data as { type: string }).type === type);
        if (event) return { event, at: arrivals.get(event)! };
        if (Date.now() > deadline)
          throw new Error(`no sync.issue.detected ${type} for ${fileId} within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const feedStatus = async (server: TestServer, feed: string) => {
  const res = await request(server.url).get('/api/feeds/status').set('Authorization', `Bearer ${server.token}`).expect(200);
  return (res.body.feeds as { feed: string; mode: string; connected: boolean; events: number; lag_ms: number | null }[]).find((f) => f.feed === feed)!;
};

const measured: Record<string, number> = {};
afterAll(() => process.stdout.write(`\nchange feed: time to detect (ms, grace ${GRACE_SECONDS} s): ${JSON.stringify(measured)}\n`));

describe('change feed: metadata written directly (FerretDB: no change streams, polling by updated_at)', () => {
  const env: Record<string, string> = {
    ...isolatedStackEnv(),
    SYNC_GRACE_SECONDS: String(GRACE_SECONDS),
    CHANGE_FEED_METADATA: 'auto',
    CHANGE_FEED_POLL_INTERVAL_MS: '300',
    CHANGE_FEED_OVERLAP_SECONDS: '30',
  };
  let server: TestServer;
  let watcher: Watcher;
  let mongo: MongoClient;
  const files = () => mongo.db().collection('files');

  beforeAll(async () => {
    server = await startTestServer(env);
    watcher = await watch(server);
    mongo = await new MongoClient(env.MONGODB_URI).connect();
  });
  afterAll(async () => {
    watcher?.socket.close();
    await mongo?.close();
    await server?.close();
  });

  it('falls back from change streams to polling on its own, and says so', async () => {
    const status = await until('the poll fallback', async () => {
      const s = await feedStatus(server, 'mongodb');
      return s.mode === 'poll' && s.connected ? s : undefined;
    });
    expect(status).toMatchObject({ mode: 'poll', connected: true });
    const metrics = (await request(server.url).get('/metrics').set('Authorization', `Bearer ${server.token}`).expect(200)).text;
    expect(metrics).toMatch(/^storesync_change_feed_connected\{feed="mongodb",mode="poll"\} 1$/m);
  });

  it('a size changed by the driver is a size_mismatch on the socket within grace + 5 s', async () => {
    const { record } = await seedFile(server.stores, { userId: 'feed-user' });
    await new Promise((r) => setTimeout(r, 1500));
    const changedAt = Date.now();
    await files().updateOne({ file_id: record.fileId }, { $set: { file_size: record.fileSize + 7, updated_at: new Date() } });
    const { at } = await watcher.detected('size_mismatch', record.fileId);
    measured.mongodb_poll_update = at - changedAt;
    expect(at - changedAt).toBeLessThan(DETECTION_BUDGET_MS);
    const metrics = (await request(server.url).get('/metrics').set('Authorization', `Bearer ${server.token}`).expect(200)).text;
    expect(Number(/^storesync_change_feed_events_total\{feed="mongodb",mode="poll"\} (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('a document deleted outright (no soft delete) leaves orphan vectors, detected within grace + 5 s', async () => {
    // Written just now, as a backend would: inside the window the poller re-reads.
    const { record } = await seedFile(server.stores, { userId: 'feed-user', updatedAt: new Date() });
    // Let a poll see the document, and the check its creation scheduled run (synced), first:
    // the deletion is then noticed only by its absence from the re-read window.
    await new Promise((r) => setTimeout(r, GRACE_SECONDS * 1000 + 1500));
    expect(watcher.events.some((e) => e.file_id === record.fileId)).toBe(false);
    const deletedAt = Date.now();
    await files().deleteOne({ file_id: record.fileId });
    const { at } = await watcher.detected('orphan_vectors', record.fileId);
    measured.mongodb_poll_hard_delete = at - deletedAt;
    expect(at - deletedAt).toBeLessThan(DETECTION_BUDGET_MS);
  });

  it('re-reads the window it missed while it was stopped (the high-water mark is persisted)', async () => {
    const { record } = await seedFile(server.stores, { userId: 'feed-user' });
    await new Promise((r) => setTimeout(r, 1500));
    watcher.socket.close();
    await server.close();
    // Changed while no storesync runs.
    await files().updateOne({ file_id: record.fileId }, { $set: { file_size: record.fileSize + 1, updated_at: new Date() } });
    server = await startTestServer(env);
    watcher = await watch(server);
    const restartedAt = Date.now();
    const { at } = await watcher.detected('size_mismatch', record.fileId);
    measured.mongodb_poll_missed_while_down = at - restartedAt;
    expect(at - restartedAt).toBeLessThan(DETECTION_BUDGET_MS + 2000);
  });
});

describe('change feed: S3 event notifications (MinIO webhook target)', () => {
  const WEBHOOK_TOKEN = 's3-webhook-secret-0123456789';
  const TARGET = 'storesync';
  let minio: RunningServer;
  let minioDir: string;
  let server: TestServer;
  let watcher: Watcher;
  let s3: S3Client;
  const bucket = isolatedStackEnv().S3_BUCKET;

  beforeAll(async () => {
    const port = await freePort();
    minioDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-minio-webhook-'));
    // A MinIO of its own: the webhook target (where MinIO sends events) is fixed when it starts.
    minio = await startMinio(minioDir, undefined, [{ id: TARGET, endpoint: `http://127.0.0.1:${port}/api/feeds/s3`, authToken: WEBHOOK_TOKEN }]);
    server = await startTestServer(
      {
        S3_ENDPOINT: minio.url,
        S3_ACCESS_KEY_ID: MINIO_ACCESS_KEY,
        S3_SECRET_ACCESS_KEY: MINIO_SECRET_KEY,
        S3_BUCKET: bucket,
        SYNC_GRACE_SECONDS: String(GRACE_SECONDS),
        S3_EVENTS_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      },
      { port },
    );
    s3 = new S3Client({
      endpoint: minio.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: MINIO_ACCESS_KEY, secretAccessKey: MINIO_SECRET_KEY },
    });
    await server.stores.objects.init();
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: minioWebhookArn(TARGET), Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }] },
      }),
    );
    watcher = await watch(server);
  });
  afterAll(async () => {
    watcher?.socket.close();
    s3?.destroy();
    await server?.close();
    await minio?.stop();
    fs.rmSync(minioDir, { recursive: true, force: true });
  });

  it('an object deleted directly in MinIO is a missing_object on the socket within grace + 5 s', async () => {
    const { record } = await seedFile(server.stores, { userId: 'feed-user' });
    await new Promise((r) => setTimeout(r, 1500));
    const deletedAt = Date.now();
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: record.fileKey }));
    const { at } = await watcher.detected('missing_object', record.fileId);
    measured.s3_minio_webhook_delete = at - deletedAt;
    expect(at - deletedAt).toBeLessThan(DETECTION_BUDGET_MS);
    const status = await feedStatus(server, 's3');
    expect(status).toMatchObject({ mode: 'webhook', connected: true });
    expect(status.events).toBeGreaterThan(0);
  });

  it('takes events only with its own secret: none, the admin token or a wrong one is 401', async () => {
    const body = { Records: [{ eventName: 's3:ObjectRemoved:Delete', s3: { bucket: { name: bucket }, object: { key: 'x/y/z' } } }] };
    await request(server.url).post('/api/feeds/s3').send(body).expect(401);
    const admin = await request(server.url).post('/api/feeds/s3').set('Authorization', `Bearer ${server.token}`).send(body).expect(401);
    expect(admin.body.code).toBe('unauthorized');
    await request(server.url).post('/api/feeds/s3').set('Authorization', 'Bearer wrong-secret-0123456789').send(body).expect(401);
    const ok = await request(server.url).post('/api/feeds/s3').set('Authorization', `Bearer ${WEBHOOK_TOKEN}`).send(body).expect(200);
    expect(ok.body).toEqual({ received: 1, scheduled: 0, ignored: 1 });
  });

  it('refuses a malformed event body with 400 naming the field', async () => {
    const res = await request(server.url)
      .post('/api/feeds/s3')
      .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
      .send({ Records: [{ eventName: 's3:ObjectRemoved:Delete', s3: { bucket: { name: bucket }, object: {} } }] })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_s3_event', field: 'Records[0].s3.object.key' });
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(/);
  });
});

describe('change feed: off', () => {
  it('answers 404 feed_disabled on the S3 endpoint when no webhook secret is set', async () => {
    const server = await startTestServer();
    try {
      const res = await request(server.url).post('/api/feeds/s3').set('Authorization', 'Bearer anything-at-all-0123').send({ Records: [] }).expect(404);
      expect(res.body.code).toBe('feed_disabled');
      expect((await feedStatus(server, 'mongodb')).mode).toBe('off');
    } finally {
      await server.close();
    }
  });
});
