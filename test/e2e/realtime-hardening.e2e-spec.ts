import { signUserToken } from '@storesync/realtime';
import { EventPublisher } from '@storesync/events';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/server';

interface Client {
  socket: Socket;
  events: { seq: number }[];
  gaps: { from_seq: number }[];
  ended: { reason: string }[];
}

function connect(server: TestServer, auth: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Client> {
  const socket = io(`${server.url}/sync`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers });
  const client: Client = { socket, events: [], gaps: [], ended: [] };
  socket.on('event', (e: { seq: number }) => client.events.push(e));
  socket.on('events', (batch: { seq: number }[]) => client.events.push(...batch));
  socket.on('replay.gap', (gap: { from_seq: number }) => client.gaps.push(gap));
  socket.on('session.ended', (end: { reason: string }) => client.ended.push(end));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('Socket.IO hardening', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const open = async (auth: Record<string, unknown>, headers?: Record<string, string>) => {
    const client = await connect(server, auth, headers);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer({ SOCKET_ALLOWED_ORIGINS: 'https://app.example.com', EVENT_QUEUE_SIZE: '50' });
  });
  afterEach(() => clients.splice(0).forEach((c) => c.socket.close()));
  afterAll(() => server?.close());

  describe('origins', () => {
    it('refuses a browser origin that is neither the server nor in SOCKET_ALLOWED_ORIGINS', async () => {
      await expect(connect(server, { token: server.token }, { Origin: 'https://evil.example' })).rejects.toThrow();
    });

    it('accepts a listed origin, the same origin, and clients that send none', async () => {
      await open({ token: server.token }, { Origin: 'https://app.example.com' });
      await open({ token: server.token }, { Origin: server.url });
      await open({ token: server.token });
    });
  });

  describe('user tokens', () => {
    it('disconnects a socket when its user token expires', async () => {
      const token = signUserToken('alice', new Date(Date.now() + 1500), server.token);
      const client = await open({ token });
      await until('the disconnect at expiry', () => !client.socket.connected, 6000);
      expect(client.ended).toEqual([{ reason: 'token_expired' }]);
      await expect(connect(server, { token })).rejects.toThrow(/unauthorized/);
    });

    it('revokes a token: its sockets are disconnected, and it is refused on Socket.IO and REST afterwards', async () => {
      const issued = await request(server.url).post('/api/sync/tokens').set('Authorization', `Bearer ${server.token}`).send({ user_id: 'bob' }).expect(200);
      const token = issued.body.token as string;
      const other = (await request(server.url).post('/api/sync/tokens').set('Authorization', `Bearer ${server.token}`).send({ user_id: 'bob' }).expect(200))
        .body.token as string;
      const client = await open({ token });
      const bystander = await open({ token: other });
      await request(server.url)
        .get('/api/sync/status/bob')
        .set('Authorization', `Bearer ${token}`)
        .expect((res) => expect(res.status).not.toBe(401));

      const revoked = await request(server.url).post('/api/sync/tokens/revoke').set('Authorization', `Bearer ${server.token}`).send({ token }).expect(200);
      expect(revoked.body).toMatchObject({ revoked: true, user_id: 'bob' });
      await until('the disconnect at revocation', () => !client.socket.connected);
      expect(client.ended).toEqual([{ reason: 'token_revoked' }]);
      expect(bystander.socket.connected).toBe(true);
      await expect(connect(server, { token })).rejects.toThrow(/unauthorized/);
      await request(server.url).get('/api/sync/status/bob').set('Authorization', `Bearer ${token}`).expect(401);
      // Again: nothing live to revoke.
      const again = await request(server.url).post('/api/sync/tokens/revoke').set('Authorization', `Bearer ${server.token}`).send({ token }).expect(404);
      expect(again.body.code).toBe('not_found');
    });

    it('only the admin may revoke', async () => {
      const token = (await request(server.url).post('/api/sync/tokens').set('Authorization', `Bearer ${server.token}`).send({ user_id: 'carol' }).expect(200))
        .body.token as string;
      await request(server.url).post('/api/sync/tokens/revoke').set('Authorization', `Bearer ${token}`).send({ token }).expect(403);
    });
  });

  describe('a stalled socket', () => {
    it('is sent at most EVENT_QUEUE_SIZE queued events, then replay.gap from the first it missed once it reads again', async () => {
      const stalled = await open({ token: server.token });
      await new Promise<void>((resolve) => stalled.socket.emit('subscribe', { all: true }, () => resolve()));
      const healthy = await open({ token: server.token });
      await new Promise<void>((resolve) => healthy.socket.emit('subscribe', { all: true }, () => resolve()));
      // The client stops reading its TCP socket: what the server sends piles up on the way.
      const tcp = (stalled.socket.io as unknown as { engine: { transport: { ws: { _socket: { pause(): void; resume(): void } } } } }).engine.transport.ws
        ._socket;
      tcp.pause();
      const publisher = server.app.get(EventPublisher);
      const padding = 'x'.repeat(2000);
      const total = 4000;
      for (let i = 0; i < total; i++) {
        publisher.publish('file.deleted', { file_key: `stall/${i}/${padding}` }, { userId: 'stall-user', fileId: `stall-${i}` });
        if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
      await until('the healthy socket to get everything', () => healthy.events.length >= total, 20_000);
      tcp.resume();
      await until('the replay.gap', () => stalled.gaps.length > 0, 20_000);
      const firstSeq = healthy.events[0].seq;
      // It got what the OS buffers and the bound took before it stalled, in order and without holes, then a gap
      // naming exactly the first event it was not sent; the rest was never queued for it.
      const seqs = stalled.events.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => firstSeq + i));
      expect(stalled.events.length).toBeLessThan(total - 500);
      expect(stalled.gaps).toEqual([{ from_seq: firstSeq + stalled.events.length }]);
      expect(healthy.gaps).toEqual([]);
      // Once drained it is live again.
      const before = stalled.events.length;
      publisher.publish('file.deleted', { file_key: 'after' }, { userId: 'stall-user', fileId: 'after-gap' });
      await until('a live event after the gap', () => stalled.events.length > before);
    }, 60_000);
  });
});
