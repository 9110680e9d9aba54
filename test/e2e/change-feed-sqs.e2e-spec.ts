import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import type { PublishedEvent } from '@storesync/realtime';
import { seedFile } from '../support/seed';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';
import { freePort, RunningServer } from '../support/stack';
import { startElasticMq } from '../support/stack/elasticmq';

// The SQS consumer against ElasticMQ (an SQS-compatible server): MinIO cannot target SQS, so the test posts the
// bucket's event to the queue itself, in the format S3 sends (plain, and wrapped by SNS).
const GRACE_SECONDS = 1;
const DETECTION_BUDGET_MS = GRACE_SECONDS * 1000 + 5000;

describe('change feed: S3 event notifications from an SQS queue (ElasticMQ)', () => {
  const env: Record<string, string> = { ...isolatedStackEnv(), SYNC_GRACE_SECONDS: String(GRACE_SECONDS) };
  let mqDir: string;
  let mq: RunningServer;
  let sqs: SQSClient;
  let queueUrl: string;
  let server: TestServer;
  let socket: Socket;
  const events: { event: PublishedEvent; at: number }[] = [];
  const s3 = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
  });

  const s3Event = (key: string, eventName = 'ObjectRemoved:Delete') => ({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName,
        eventTime: new Date().toISOString(),
        s3: { bucket: { name: env.S3_BUCKET }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/') } },
      },
    ],
  });
  const send = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  const queued = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
  };
  const feed = async (on: TestServer = server) => {
    const res = await request(on.url).get('/api/feeds/status').set('Authorization', `Bearer ${on.token}`).expect(200);
    return (res.body.feeds as { feed: string; mode: string; connected: boolean; events: number; lag_ms: number | null; last_error: string | null }[]).find(
      (f) => f.feed === 's3',
    )!;
  };
  async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const detected = (type: string, fileId: string) =>
    until(
      `sync.issue.detected ${type} for ${fileId}`,
      async () => events.find((e) => e.event.type === 'sync.issue.detected' && e.event.file_id === fileId && (e.event.data as { type: string }).type === type),
      DETECTION_BUDGET_MS + 5000,
    );

  beforeAll(async () => {
    mqDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-elasticmq-'));
    mq = await startElasticMq(mqDir);
    sqs = new SQSClient({ endpoint: mq.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    queueUrl = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: `storesync-${path.basename(mqDir).replace(/[^A-Za-z0-9-]/g, '')}`, Attributes: { VisibilityTimeout: '2' } }),
      )
    ).QueueUrl!;
    // Credentials: none of its own, so the S3 ones (ElasticMQ takes any).
    server = await startTestServer({ ...env, S3_EVENTS_SQS_QUEUE_URL: queueUrl, S3_EVENTS_SQS_WAIT_SECONDS: '20' });
    await server.stores.objects.init();
    socket = io(`${server.url}/sync`, { auth: { token: server.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('event', (event: PublishedEvent) => events.push({ event, at: Date.now() }));
    socket.on('events', (batch: PublishedEvent[]) => batch.forEach((event) => events.push({ event, at: Date.now() })));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    expect(((await socket.timeout(5000).emitWithAck('subscribe', { all: true })) as { ok: boolean }).ok).toBe(true);
  }, 120000);
  afterAll(async () => {
    socket?.close();
    await server?.close();
    sqs?.destroy();
    s3.destroy();
    await mq?.stop();
    fs.rmSync(mqDir, { recursive: true, force: true });
  });

  it('is connected, in mode sqs, in the feed status and /metrics', async () => {
    const status = await until('the SQS feed connected', async () => ((await feed()).connected ? feed() : undefined));
    expect(status).toMatchObject({ mode: 'sqs', connected: true, last_error: null });
    const metrics = (await request(server.url).get('/metrics').set('Authorization', `Bearer ${server.token}`).expect(200)).text;
    expect(metrics).toMatch(/^storesync_change_feed_connected\{feed="s3",mode="sqs"\} 1$/m);
  });

  it('an S3 event on the queue for an object deleted in MinIO is a missing_object on the socket, and the message is deleted', async () => {
    const { record } = await seedFile(server.stores, { userId: 'sqs-user' });
    await new Promise((r) => setTimeout(r, 1500));
    const before = (await feed()).events;
    await s3.send(new DeleteObjectCommand({ Bucket: env.S3_BUCKET, Key: record.fileKey }));
    const sentAt = Date.now();
    await send(JSON.stringify(s3Event(record.fileKey)));
    const { at } = await detected('missing_object', record.fileId);
    process.stdout.write(`\nchange feed: SQS (ElasticMQ) time to detect: ${at - sentAt} ms (grace ${GRACE_SECONDS} s)\n`);
    expect(at - sentAt).toBeLessThan(DETECTION_BUDGET_MS);
    const status = await feed();
    expect(status.events).toBe(before + 1);
    expect(status.lag_ms).not.toBeNull();
    // Deleted, not merely hidden: with a 2 s visibility timeout an undeleted message would be back.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await queued()).toBe(0);
    expect((await feed()).events).toBe(before + 1);
    const metrics = (await request(server.url).get('/metrics').set('Authorization', `Bearer ${server.token}`).expect(200)).text;
    expect(Number(/^storesync_change_feed_events_total\{feed="s3",mode="sqs"\} (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('reads the event wrapped by SNS (S3 → SNS → SQS)', async () => {
    const { record } = await seedFile(server.stores, { userId: 'sqs-user' });
    await new Promise((r) => setTimeout(r, 1500));
    await s3.send(new DeleteObjectCommand({ Bucket: env.S3_BUCKET, Key: record.fileKey }));
    await send(
      JSON.stringify({ Type: 'Notification', MessageId: 'm1', TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: JSON.stringify(s3Event(record.fileKey)) }),
    );
    await detected('missing_object', record.fileId);
    await until('the queue drained', async () => (await queued()) === 0);
  });

  it("deletes S3's test event and malformed bodies instead of redelivering them forever", async () => {
    const before = (await feed()).events;
    await send(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date().toISOString(), Bucket: env.S3_BUCKET }));
    await send('not json at all');
    await send(JSON.stringify({ Records: [{ eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: env.S3_BUCKET }, object: {} } }] }));
    await send(JSON.stringify({ Type: 'Notification', Message: '{broken' }));
    await until('the queue drained', async () => (await queued()) === 0);
    // Past the visibility timeout: nothing came back.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await queued()).toBe(0);
    expect((await feed()).events).toBe(before);
    expect((await feed()).connected).toBe(true);
  });

  it('shows an unreachable queue as disconnected with the error, and stops at once on shutdown (the long poll aborted)', async () => {
    const closedPort = await freePort();
    const broken = await startTestServer({ ...isolatedStackEnv(), S3_EVENTS_SQS_QUEUE_URL: `http://127.0.0.1:${closedPort}/000000000000/nowhere` });
    try {
      const status = await until('the error in the status', async () => {
        const s = await feed(broken);
        return s.last_error ? s : undefined;
      });
      expect(status).toMatchObject({ mode: 'sqs', connected: false });
      const metrics = (await request(broken.url).get('/metrics').set('Authorization', `Bearer ${broken.token}`).expect(200)).text;
      expect(metrics).toMatch(/^storesync_change_feed_connected\{feed="s3",mode="sqs"\} 0$/m);
    } finally {
      await broken.close();
    }
    // The main server is mid long poll (20 s wait): closing it must not wait that out.
    const started = Date.now();
    await server.close();
    const took = Date.now() - started;
    server = undefined as unknown as TestServer;
    expect(took).toBeLessThan(5000);
  });
});
