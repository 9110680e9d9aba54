import { FileCheckService } from '@storesync/analysis';
import { EventBusService, FileCheckScheduler, PublishedEvent, signUserToken } from '@storesync/realtime';
import { EventPublisher } from '@storesync/events';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import { factories } from '../support/factories';
import { freePort } from '../support/stack';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';

interface Client {
  socket: Socket;
  events: PublishedEvent[];
  /** Sizes of the 'events' frames received (bursts). */
  frames: number[];
  gaps: { from_seq: number }[];
  close(): void;
}

/** Connects to /sync; resolves once connected, rejects with the server's refusal. */
function connect(server: TestServer, auth: Record<string, unknown>): Promise<Client> {
  const socket = io(`${server.url}/sync`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  const client: Client = { socket, events: [], frames: [], gaps: [], close: () => socket.close() };
  socket.on('event', (event: PublishedEvent) => client.events.push(event));
  socket.on('events', (events: PublishedEvent[]) => {
    client.frames.push(events.length);
    client.events.push(...events);
  });
  socket.on('replay.gap', (gap: { from_seq: number }) => client.gaps.push(gap));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

const subscribe = (client: Client, body: Record<string, unknown>) =>
  client.socket.timeout(5000).emitWithAck('subscribe', body) as Promise<{ ok: boolean; rooms?: string[]; error?: string }>;

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A short pause for events that must NOT arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('realtime (Socket.IO /sync on the real stack)', () => {
  const env = isolatedStackEnv();
  let server: TestServer;
  const clients: Client[] = [];
  const open = async (auth: Record<string, unknown>) => {
    const client = await connect(server, auth);
    clients.push(client);
    return client;
  };
  const upload = async (userId: string, text = `hello from ${userId}`) =>
    (
      await request(server.url)
        .post('/api/files')
        .set('Authorization', `Bearer ${server.token}`)
        .field('user_id', userId)
        .attach('file', Buffer.from(text), { filename: 'n.txt', contentType: 'text/plain' })
        .expect(201)
    ).body.file_id as string;
  const userToken = async (userId: string) =>
    (await request(server.url).post('/api/sync/tokens').set('Authorization', `Bearer ${server.token}`).send({ user_id: userId }).expect(200)).body
      .token as string;
  const eventsOf = (client: Client, fileId: string) => client.events.filter((e) => e.file_id === fileId).map((e) => e.type);

  beforeAll(async () => {
    server = await startTestServer({ ...env, WEBSOCKET_PING_INTERVAL: '7' });
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => server?.close());

  it("delivers an uploaded file's events to an admin subscribed to all, with increasing seq", async () => {
    const admin = await open({ token: server.token });
    expect(await subscribe(admin, { all: true })).toEqual({ ok: true, rooms: ['all'] });
    const fileId = await upload('alice');
    await until('both events', () => eventsOf(admin, fileId).length === 2);
    expect(eventsOf(admin, fileId)).toEqual(['file.uploaded', 'embedding.created']);
    const [uploaded, embedded] = admin.events.filter((e) => e.file_id === fileId);
    expect(uploaded).toMatchObject({ type: 'file.uploaded', user_id: 'alice', data: { file_name: 'n.txt' }, at: expect.any(String) });
    expect(embedded.seq).toBe(uploaded.seq + 1);
  });

  it('uses the configured ping interval', async () => {
    const admin = await open({ token: server.token });
    // The handshake carries the engine's pingInterval.
    const engine = (admin.socket.io as unknown as { engine: { _pingInterval: number } }).engine;
    expect(engine._pingInterval).toBe(7000);
  });

  it("never sends a user token another user's events, and refuses its subscription to them", async () => {
    const alice = await open({ token: await userToken('alice') });
    expect(await subscribe(alice, { user_id: 'bob' })).toMatchObject({ ok: false, error: expect.stringContaining('own user') });
    expect(await subscribe(alice, { all: true })).toMatchObject({ ok: false });
    const bobFile = await upload('bob');
    const aliceFile = await upload('alice');
    await until("alice's events", () => eventsOf(alice, aliceFile).length === 2);
    await settle();
    expect(eventsOf(alice, bobFile)).toEqual([]);
    expect(alice.events.every((e) => e.user_id === 'alice')).toBe(true);
  });

  it('lets an admin follow one user only', async () => {
    const admin = await open({ token: server.token });
    expect(await subscribe(admin, { user_id: 'bob' })).toEqual({ ok: true, rooms: ['user:bob'] });
    const aliceFile = await upload('alice');
    const bobFile = await upload('bob');
    await until("bob's events", () => eventsOf(admin, bobFile).length === 2);
    await settle();
    expect(eventsOf(admin, aliceFile)).toEqual([]);
  });

  it.each([
    ['no token', {}],
    ['a wrong admin token', { token: 'not-the-admin-token-at-all' }],
    ['a user token signed with another key', { token: signUserToken('alice', new Date(Date.now() + 3600_000), 'some-other-key-123456') }],
    ['an expired user token', { token: 'EXPIRED' }],
  ])('refuses a socket with %s', async (_name, auth) => {
    const token =
      (auth as { token?: string }).token === 'EXPIRED' ? signUserToken('alice', new Date(Date.now() - 1000), server.token) : (auth as { token?: string }).token;
    await expect(connect(server, token === undefined ? {} : { token })).rejects.toThrow(/unauthorized/);
  });

  it('issues user tokens only to the admin, for valid user ids', async () => {
    await request(server.url).post('/api/sync/tokens').send({ user_id: 'alice' }).expect(401);
    const bad = await request(server.url).post('/api/sync/tokens').set('Authorization', `Bearer ${server.token}`).send({ user_id: 'a b' }).expect(400);
    expect(bad.body.fields[0].field).toBe('user_id');
    const ok = await request(server.url).post('/api/sync/tokens').set('Authorization', `Bearer ${server.token}`).send({ user_id: 'alice' }).expect(200);
    expect(new Date(ok.body.expires_at).getTime()).toBeGreaterThan(Date.now() + 3500_000);
    // A user token is not an admin token on HTTP (its REST scope: test/e2e/user-token-scope.e2e-spec.ts).
    await request(server.url).get('/api/sync/overview').set('Authorization', `Bearer ${ok.body.token}`).expect(403);
  });

  it('keeps delivering when a run-time handler throws or rejects, and unregisters handlers', async () => {
    const bus = server.app.get(EventBusService, { strict: false });
    const seen: string[] = [];
    const removeThrowing = bus.registerEventHandler('*', () => {
      throw new Error('handler bug');
    });
    const removeRejecting = bus.registerEventHandler('file.uploaded', async () => {
      throw new Error('async handler bug');
    });
    const removeCounting = bus.registerEventHandler('file.uploaded', (event) => void seen.push(event.file_id!));
    try {
      const admin = await open({ token: server.token });
      await subscribe(admin, { all: true });
      const fileId = await upload('carol');
      await until('events despite failing handlers', () => eventsOf(admin, fileId).length === 2);
      expect(seen).toEqual([fileId]);
      removeCounting();
      const second = await upload('carol');
      await until('second upload', () => eventsOf(admin, second).length === 2);
      expect(seen).toEqual([fileId]);
    } finally {
      removeThrowing();
      removeRejecting();
      removeCounting();
    }
  });

  it('replays exactly the missed events to a client reconnecting with its last seq', async () => {
    const witness = await open({ token: server.token });
    await subscribe(witness, { all: true });
    const first = await open({ token: server.token });
    await subscribe(first, { all: true });
    const before = await upload('dana');
    await until('first events', () => eventsOf(first, before).length === 2);
    const lastSeq = Math.max(...first.events.map((e) => e.seq));
    first.close();

    const missed = [await upload('dana'), await upload('erin')];
    await until('witness saw the missed uploads', () => missed.every((id) => eventsOf(witness, id).length === 2));

    const back = await open({ token: server.token, last_seq: lastSeq });
    await subscribe(back, { all: true });
    const expected = witness.events.filter((e) => e.seq > lastSeq);
    await until('the replay', () => back.events.length >= expected.length);
    await settle();
    expect(back.gaps).toEqual([]);
    expect(back.events).toEqual(expected);
    expect(back.events.map((e) => e.file_id)).toEqual([missed[0], missed[0], missed[1], missed[1]]);
  });

  it("replays to a reconnecting user only that user's missed events, on connect", async () => {
    const token = await userToken('fay');
    const lastSeq = (await request(server.url).get('/api/sync/events/stats').set('Authorization', `Bearer ${server.token}`).expect(200)).body.seq;
    const otherFile = await upload('gus');
    const fayFile = await upload('fay');
    const fay = await open({ token, last_seq: lastSeq });
    await until('the replay', () => fay.events.length === 2);
    await settle();
    expect(fay.events.map((e) => [e.type, e.file_id])).toEqual([
      ['file.uploaded', fayFile],
      ['embedding.created', fayFile],
    ]);
    expect(fay.events.some((e) => e.file_id === otherFile)).toBe(false);
  });

  it('publishes backend notifications at once and checks the file after the grace window', async () => {
    const admin = await open({ token: server.token });
    await subscribe(admin, { all: true });
    const record = factories.file({ userId: 'hal' });
    await server.stores.metadata.upsert(record);
    await request(server.url)
      .post('/api/sync/events')
      .set('Authorization', `Bearer ${server.token}`)
      .send({ type: 'file.uploaded', user_id: 'hal', file_id: record.fileId, file_key: record.fileKey, file_name: record.fileName })
      .expect(202);
    await until('the notification event', () => eventsOf(admin, record.fileId).includes('file.uploaded'));
    // The object was never written: the check finds it missing and says so live.
    const detected = await until('the issue from the check', () => admin.events.find((e) => e.type === 'sync.issue.detected' && e.file_id === record.fileId));
    expect(detected.data).toMatchObject({ type: 'missing_object' });
    const invalid = await request(server.url)
      .post('/api/sync/events')
      .set('Authorization', `Bearer ${server.token}`)
      .send({ type: 'file.renamed', user_id: 'hal', file_id: 'x' })
      .expect(400);
    expect(invalid.body.fields[0].field).toBe('type');
  });

  describe('with a small queue and a grace window', () => {
    let small: TestServer;
    beforeAll(async () => {
      small = await startTestServer({ ...isolatedStackEnv(), EVENT_QUEUE_SIZE: '10', SYNC_GRACE_SECONDS: '1' });
    });
    afterAll(() => small?.close());

    it('sends replay.gap when the missed events were dropped from the buffer, and counts drops', async () => {
      const bus = small.app.get(EventBusService, { strict: false });
      for (let i = 0; i < 15; i++) bus.handleEmbeddingDeleted({ userId: 'ivy', fileId: `gone-${i}` });
      const stats = (await request(small.url).get('/api/sync/events/stats').set('Authorization', `Bearer ${small.token}`).expect(200)).body;
      expect(stats).toMatchObject({ buffered: 10, capacity: 10 });
      expect(stats.dropped).toBeGreaterThanOrEqual(5);
      const client = await connect(small, { token: small.token, last_seq: 1 });
      try {
        await subscribe(client, { all: true });
        await until('the gap', () => client.gaps.length === 1);
        expect(client.gaps[0]).toEqual({ from_seq: 2 });
        await until('the buffered events', () => client.events.length === 10);
        expect(client.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => stats.seq - 9 + i));
      } finally {
        client.close();
      }
    });

    it('coalesces a burst of notifications about one file into one check', async () => {
      const scheduler = small.app.get(FileCheckScheduler, { strict: false });
      await scheduler.idle();
      const checks = small.app.get(FileCheckService, { strict: false });
      const spy = jest.spyOn(checks, 'checkFile');
      try {
        for (const type of ['file.uploaded', 'embedding.created', 'file.uploaded']) {
          await request(small.url)
            .post('/api/sync/events')
            .set('Authorization', `Bearer ${small.token}`)
            .send({ type, user_id: 'ivy', file_id: 'burst-1' })
            .expect(202);
        }
        await request(small.url)
          .post('/api/sync/events')
          .set('Authorization', `Bearer ${small.token}`)
          .send({ type: 'file.deleted', user_id: 'ivy', file_id: 'burst-2' })
          .expect(202);
        expect(spy).not.toHaveBeenCalled();
        expect(scheduler.pending).toBe(2);
        await scheduler.idle();
        expect(spy.mock.calls.map(([id]) => id).sort()).toEqual(['burst-1', 'burst-2']);
      } finally {
        spy.mockRestore();
      }
    });
  });

  it('reaches a client on another instance through Redis', async () => {
    const other = await startTestServer(env);
    try {
      const admin = await connect(other, { token: other.token });
      clients.push(admin);
      await subscribe(admin, { all: true });
      const fileId = await upload('jon');
      await until('the event from the other instance', () => eventsOf(admin, fileId).length === 2);
    } finally {
      await other.close();
    }
  });

  it('keeps serving its own clients when REDIS_URL points at nothing', async () => {
    const deadPort = await freePort();
    const lonely = await startTestServer({ ...isolatedStackEnv(), REDIS_URL: `redis://127.0.0.1:${deadPort}` });
    try {
      const admin = await connect(lonely, { token: lonely.token });
      clients.push(admin);
      await subscribe(admin, { all: true });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const res = await request(lonely.url)
        .post('/api/files')
        .set('Authorization', `Bearer ${lonely.token}`)
        .field('user_id', 'solo')
        .attach('file', Buffer.from('still here'), { filename: 's.txt', contentType: 'text/plain' })
        .expect(201);
      await until('the local event', () => eventsOf(admin, res.body.file_id).length === 2);
      await request(lonely.url).get('/api/health').expect(200);
    } finally {
      await lonely.close();
    }
  });

  it('sends a burst as one frame, in seq order', async () => {
    const admin = await open({ token: server.token });
    await subscribe(admin, { all: true });
    const bus = server.app.get(EventPublisher);
    for (let i = 0; i < 5; i++) bus.publish('file.deleted', { file_key: `burst/${i}` }, { userId: 'burst-user', fileId: `burst-${i}` });
    await until('the burst', () => admin.events.filter((e) => e.user_id === 'burst-user').length === 5);
    const burst = admin.events.filter((e) => e.user_id === 'burst-user');
    expect(burst.map((e) => e.file_id)).toEqual(['burst-0', 'burst-1', 'burst-2', 'burst-3', 'burst-4']);
    expect(burst.map((e) => e.seq)).toEqual([...burst.map((e) => e.seq)].sort((a, b) => a - b));
    expect(admin.frames).toContain(5);
  });
});
