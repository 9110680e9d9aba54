import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { verifyWebhook } from '@storesync/notifications';
import { seedFile } from '../support/seed';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';
import { freePort } from '../support/stack';

const SECRET = 'webhook-signing-secret-0123456789';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
  at: number;
}

/** An HTTP receiver on loopback that answers what `answer` says (a status, or drop the connection). */
async function startReceiver() {
  const received: Received[] = [];
  let answer: (req: Received) => number | 'drop' = () => 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: 0, at: Date.now() };
      const status = answer(r);
      received.push(r);
      if (status === 'drop') return req.socket.destroy();
      r.answered = status;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    answerWith(fn: (req: Received) => number | 'drop') {
      answer = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

async function startSmtp() {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const hooks = (r: { received: Received[] }) => r.received.filter((x) => x.path === '/hook');

describe('notifications: webhook, Slack-compatible and email channels against local receivers', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: TestServer;
  let env: Record<string, string>;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });

  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await startSmtp();
    env = {
      ...isolatedStackEnv(),
      NOTIFY_CHANNELS: JSON.stringify([
        { name: 'hook', kind: 'webhook', url: `${receiver.url}/hook`, secret: SECRET },
        { name: 'chat', kind: 'slack', url: `${receiver.url}/slack/T000/B000/XXXX` },
        { name: 'mail', kind: 'email', smtp_url: `smtp://127.0.0.1:${smtp.port}`, from: 'storesync@example.test', to: ['ops@example.test'] },
      ]),
      NOTIFY_RULES: JSON.stringify([
        { on: ['issues_detected'], channels: ['hook', 'chat', 'mail'], threshold: 3 },
        { on: ['partial_run', 'store_down', 'repair_failed', 'circuit_breaker'], channels: ['hook'] },
      ]),
      NOTIFY_DIGEST_SECONDS: '1',
      NOTIFY_BACKOFF_MS: '200',
      NOTIFY_MAX_ATTEMPTS: '4',
    };
    server = await startTestServer(env);
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    smtp.mails.length = 0;
    receiver.answerWith(() => 200);
  });

  it('lists the channels without their secrets', async () => {
    const res = await request(server.url).get('/api/notifications/channels').set(auth()).expect(200);
    expect(res.body.channels.map((c: { name: string; kind: string }) => `${c.name}:${c.kind}`)).toEqual(['hook:webhook', 'chat:slack', 'mail:email']);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(JSON.stringify(res.body)).not.toContain('XXXX');
  });

  it('turns a burst of new issues into one signed digest per channel', async () => {
    const seeded = await Promise.all(Array.from({ length: 5 }, () => seedFile(server.stores, { userId: 'notify-burst' })));
    for (const { record } of seeded) await server.stores.objects.delete(record.fileKey);
    await request(server.url).post('/api/sync/analyze').set(auth()).send({ user_id: 'notify-burst' }).expect(200);

    const [hook] = await until('the webhook digest', () => hooks(receiver).length > 0 && hooks(receiver));
    const message = JSON.parse(hook.body) as { id: string; subject: string; counts: Record<string, number>; items: { details: { type: string } }[] };
    expect(message.counts).toEqual({ issues_detected: 5 });
    expect(message.items.map((i) => i.details.type)).toEqual(Array(5).fill('missing_object'));
    expect(hook.headers['x-storesync-delivery']).toBe(message.id);
    const timestamp = hook.headers['x-storesync-timestamp'] as string;
    const signature = hook.headers['x-storesync-signature'] as string;
    expect(verifyWebhook(SECRET, timestamp, hook.body, signature)).toBe(true);
    expect(verifyWebhook(SECRET, timestamp, hook.body.replace('missing_object', 'missing_vectors'), signature)).toBe(false);
    expect(verifyWebhook('another-secret-0123456789', timestamp, hook.body, signature)).toBe(false);
    expect(verifyWebhook(SECRET, String(Number(timestamp) - 3600), hook.body, signature)).toBe(false);

    const slack = await until('the Slack message', () => receiver.received.find((r) => r.path.startsWith('/slack')));
    expect(JSON.parse(slack.body).text).toContain('5 new issues');
    const mail = await until('the email', () => smtp.mails[0]);
    expect(mail.to).toEqual(['ops@example.test']);
    expect(mail.raw).toMatch(/Subject: \[storesync\] 5 new issues/);

    // Still one message each once the window is long closed.
    await new Promise((r) => setTimeout(r, 1500));
    expect(hooks(receiver)).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path.startsWith('/slack'))).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  });

  it('sends nothing for fewer new issues than the threshold', async () => {
    const seeded = await Promise.all(Array.from({ length: 2 }, () => seedFile(server.stores, { userId: 'notify-few' })));
    for (const { record } of seeded) await server.stores.objects.delete(record.fileKey);
    const run = await request(server.url).post('/api/sync/analyze').set(auth()).send({ user_id: 'notify-few' }).expect(200);
    expect(run.body.issues).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.received).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);
  });

  it('retries with growing waits until the receiver takes it, the same delivery each time', async () => {
    let calls = 0;
    receiver.answerWith((r) => (r.path === '/hook' && ++calls <= 2 ? 503 : 200));
    const queued = await request(server.url).post('/api/notifications/test').set(auth()).send({ channel: 'hook' }).expect(202);
    await until('the third attempt', () => hooks(receiver).length >= 3);
    const attempts = hooks(receiver);
    expect(attempts.map((r) => r.headers['x-storesync-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(attempts.map((r) => r.headers['x-storesync-delivery']))).toEqual(new Set([queued.body.id]));
    expect(attempts.map((r) => r.answered)).toEqual([503, 503, 200]);
    // NOTIFY_BACKOFF_MS=200: the second wait is twice the first.
    const [first, second] = [attempts[1].at - attempts[0].at, attempts[2].at - attempts[1].at];
    expect(first).toBeGreaterThanOrEqual(190);
    expect(second).toBeGreaterThanOrEqual(390);
    expect(second).toBeGreaterThan(first);
    const log = await until('the delivered entry', async () => {
      const res = await request(server.url).get('/api/notifications/deliveries').query({ channel: 'hook' }).set(auth()).expect(200);
      const entry = (res.body.deliveries as { id: string; status: string }[]).find((d) => d.id === queued.body.id);
      return entry?.status === 'delivered' && entry;
    });
    expect(log).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
  });

  it('dead-letters after the last attempt, lists it, and delivers it when retried', async () => {
    receiver.answerWith((r) => (r.path === '/hook' ? 'drop' : 200));
    const queued = await request(server.url).post('/api/notifications/test').set(auth()).send({ channel: 'hook' }).expect(202);
    const dead = await until('the dead letter', async () => {
      const res = await request(server.url).get('/api/notifications/dead-letters').set(auth()).expect(200);
      return (res.body.deliveries as { id: string }[]).find((d) => d.id === queued.body.id);
    });
    expect(dead).toMatchObject({ status: 'dead_letter', attempts: 4, channel: 'hook' });
    expect((dead as unknown as { last_error: string }).last_error).toMatch(/could not connect/);
    expect(hooks(receiver)).toHaveLength(4);

    receiver.answerWith(() => 200);
    await request(server.url).post(`/api/notifications/deliveries/${queued.body.id}/retry`).set(auth()).expect(200);
    await until('the retried delivery', () => hooks(receiver).some((r) => r.answered === 200 && r.headers['x-storesync-delivery'] === queued.body.id));
    const again = await request(server.url).post(`/api/notifications/deliveries/${queued.body.id}/retry`).set(auth());
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('not_dead_letter');
  });

  // Before the restart below: the counters are the process's own.
  it('counts deliveries by channel and result in /metrics', async () => {
    const text = (await request(server.url).get('/metrics').set(auth()).expect(200)).text;
    const value = (labels: string) => Number(new RegExp(`^storesync_notification_deliveries_total\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('channel="hook",kind="webhook",result="delivered"')).toBeGreaterThanOrEqual(1);
    expect(value('channel="hook",kind="webhook",result="retrying"')).toBeGreaterThanOrEqual(2);
    expect(value('channel="mail",kind="email",result="delivered"')).toBeGreaterThanOrEqual(1);
  });

  it('loses nothing while the receiver is down across a restart of storesync', async () => {
    receiver.answerWith(() => 503);
    const queued = await request(server.url).post('/api/notifications/test').set(auth()).send({ channel: 'hook' }).expect(202);
    await until('a failed attempt', () => hooks(receiver).length >= 1);
    await server.close();
    receiver.answerWith(() => 200);
    server = await startTestServer(env);
    await until('delivery after the restart', () => hooks(receiver).some((r) => r.answered === 200 && r.headers['x-storesync-delivery'] === queued.body.id));
  });

  it('answers 404 for an unknown channel or delivery, 400 for a bad filter', async () => {
    expect((await request(server.url).post('/api/notifications/test').set(auth()).send({ channel: 'nope' }).expect(404)).body.code).toBe('channel_not_found');
    expect((await request(server.url).post('/api/notifications/deliveries/nope/retry').set(auth()).expect(404)).body.code).toBe('delivery_not_found');
    await request(server.url).get('/api/notifications/deliveries').query({ status: 'lost' }).set(auth()).expect(400);
    await request(server.url).get('/api/notifications/deliveries').expect(401);
  });
});

describe('notifications: a store down makes a partial run, told once', () => {
  it('sends one message naming the partial run and the store down', async () => {
    const receiver = await startReceiver();
    const closed = await freePort();
    const server = await startTestServer({
      QDRANT_URL: `http://127.0.0.1:${closed}`,
      STORE_TIMEOUT_MS: '500',
      NOTIFY_CHANNELS: JSON.stringify([{ name: 'hook', kind: 'webhook', url: `${receiver.url}/hook`, secret: SECRET }]),
      NOTIFY_RULES: JSON.stringify([{ on: ['partial_run', 'store_down'], channels: ['hook'] }]),
      NOTIFY_DIGEST_SECONDS: '1',
    });
    try {
      await seedFile({ ...server.stores, vectors: { upsert: async () => undefined } as never }, { userId: 'notify-partial' });
      const run = await request(server.url).post('/api/sync/analyze').set('Authorization', `Bearer ${server.token}`).send({}).expect(200);
      expect(run.body.partial).toBe(true);
      const [hook] = await until('the message', () => hooks(receiver).length > 0 && hooks(receiver));
      const message = JSON.parse(hook.body) as { counts: Record<string, number>; items: { trigger: string; details: Record<string, unknown> }[] };
      expect(message.counts.partial_run).toBe(1);
      expect(message.counts.store_down).toBe(1);
      expect(message.items.find((i) => i.trigger === 'store_down')?.details.store).toBe('qdrant');
      await new Promise((r) => setTimeout(r, 1500));
      expect(hooks(receiver)).toHaveLength(1);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

describe('notifications: configuration', () => {
  it('refuses to start on a bad channel or rule, naming it', async () => {
    await expect(startTestServer({ NOTIFY_CHANNELS: JSON.stringify([{ name: 'hook', kind: 'webhook', url: 'ftp://x', secret: SECRET }]) })).rejects.toThrow(
      /NOTIFY_CHANNELS\[0\]\.url/,
    );
    await expect(startTestServer({ NOTIFY_CHANNELS: JSON.stringify([{ name: 'hook', kind: 'webhook', url: 'http://x', secret: 'short' }]) })).rejects.toThrow(
      /NOTIFY_CHANNELS\[0\]\.secret/,
    );
    await expect(startTestServer({ NOTIFY_RULES: JSON.stringify([{ on: ['issues_detected'], channels: ['missing'] }]) })).rejects.toThrow(
      /NOTIFY_RULES\[0\]\.channels/,
    );
    await expect(startTestServer({ NOTIFY_RULES: '{not json' })).rejects.toThrow(/NOTIFY_RULES: must be a JSON array/);
  });
});
