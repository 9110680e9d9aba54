import fc from 'fast-check';
import request from 'supertest';
import { seedFile } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';

const LEAKS = /SQLITE|MongoServerError|FerretDB|\bat \/|node_modules|\$gt|\$ne/i;
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('audit findings (hostile input on the real stack)', () => {
  let server: TestServer;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });
  const get = (path: string) => request(server.url).get(path).set(auth());

  beforeAll(async () => {
    server = await startTestServer();
    await seedFile(server.stores, { userId: 'alice', fileId: 'a1' });
    await server.stores.vectors.deleteByFileId('a1');
    await request(server.url).post('/api/sync/analyze').set(auth()).send({}).expect(200);
  });
  afterAll(() => server?.close());

  describe('cursors', () => {
    const routes = ['/api/sync/runs', '/api/sync/issues', '/api/sync/users', '/api/sync/status/alice', '/api/sync/issues?format=csv'];
    const crafted = [
      cursorOf([{ $gt: '' }, 'x']),
      cursorOf([{ $ne: null }, { $gt: '' }]),
      cursorOf([12, 'x']),
      cursorOf(['x'.repeat(5000), 'x']),
      cursorOf(['2026-13-45T99:99:99Z', 'x']),
      cursorOf('just a string'),
      '%%%',
      '____',
    ];

    it.each(routes)('%s: a crafted cursor is 400 invalid_cursor naming cursor, never 503, no store text', async (route) => {
      // A file key is any string: an impossible date is still a key for a user's status page.
      for (const cursor of crafted.filter((c) => !(route.includes('/status/') && c === cursorOf(['2026-13-45T99:99:99Z', 'x'])))) {
        const res = await get(`${route}${route.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`);
        expect({ cursor, status: res.status }).toEqual({ cursor, status: 400 });
        // Over 2,000 characters the DTO refuses it first (validation_failed); both name the cursor.
        expect(['invalid_cursor', 'validation_failed']).toContain(res.body.code);
        expect(res.body.fields).toEqual([expect.objectContaining({ field: 'cursor' })]);
        expect(JSON.stringify(res.body)).not.toMatch(LEAKS);
      }
    });

    it('a cursor the API returned still pages', async () => {
      await request(server.url).post('/api/sync/analyze').set(auth()).send({}).expect(200);
      const first = await get('/api/sync/runs?limit=1').expect(200);
      expect(first.body.next_cursor).toEqual(expect.any(String));
      const second = await get(`/api/sync/runs?limit=1&cursor=${first.body.next_cursor}`).expect(200);
      expect(second.body.runs).toHaveLength(1);
      expect(second.body.runs[0].run_id).not.toBe(first.body.runs[0].run_id);
    });

    it('any JSON a client can put in a cursor is answered 200 or 400, never 5xx (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('/api/sync/runs', '/api/sync/issues', '/api/sync/users'), fc.jsonValue(), async (route, value) => {
          const res = await get(`${route}?cursor=${cursorOf(value)}`);
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) expect(res.body.code).toBe('invalid_cursor');
          expect(JSON.stringify(res.body)).not.toMatch(LEAKS);
        }),
        { numRuns: 150, seed: 12 },
      );
    });
  });

  describe('path parameters', () => {
    it.each([
      ['POST', '/api/sync/check/', 'file_id', ['a b', 'x'.repeat(300), '%E2%80%AE', 'a%2Fb']],
      ['GET', '/api/sync/runs/', 'run_id', ['not-a-uuid', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', '1%20OR%201=1']],
    ] as const)('%s %s:%s is validated (400 naming it) and not echoed', async (method, prefix, param, values) => {
      for (const value of values) {
        const res = await (method === 'POST' ? request(server.url).post(prefix + value) : request(server.url).get(prefix + value)).set(auth());
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'invalid_param', fields: [{ field: param }] });
        expect(JSON.stringify(res.body)).not.toContain(decodeURIComponent(value));
      }
    });

    it('an unknown run is 404 without its id in the message', async () => {
      const res = await get('/api/sync/runs/6f0c2a52-8d5c-4c8e-9a57-0b7b7d0e3c11').expect(404);
      expect(res.body.message).toBe('run not found');
    });
  });

  describe('user ids', () => {
    it.each(['.', '..', 'quarantine'])('refuses user_id %j everywhere it is taken', async (userId) => {
      const analyze = await request(server.url).post('/api/sync/analyze').set(auth()).send({ user_id: userId }).expect(400);
      expect(analyze.body.fields).toEqual([expect.objectContaining({ field: 'user_id' })]);
      await request(server.url).post('/api/sync/tokens').set(auth()).send({ user_id: userId }).expect(400);
      await request(server.url)
        .post('/api/sync/fix')
        .set(auth())
        .send({ user_ids: [userId] })
        .expect(400);
      await get(`/api/sync/issues?user_id=${encodeURIComponent(userId)}`).expect(400);
      if (userId !== '.' && userId !== '..') await get(`/api/sync/status/${userId}`).expect(400);
      const upload = await request(server.url)
        .post('/api/files')
        .set(auth())
        .field('user_id', userId)
        .attach('file', Buffer.from('x'), { filename: 'a.txt', contentType: 'text/plain' })
        .expect(400);
      expect(upload.body.fields).toEqual([expect.objectContaining({ field: 'user_id' })]);
    });

    it('refuses the first segment of a configured quarantine prefix', async () => {
      const other = await startTestServer({ SYNC_QUARANTINE_PREFIX: 'held/' });
      try {
        await request(other.url).post('/api/sync/analyze').set('Authorization', `Bearer ${other.token}`).send({ user_id: 'held' }).expect(400);
        await request(other.url)
          .post('/api/sync/analyze')
          .set('Authorization', `Bearer ${other.token}`)
          .send({ user_id: 'quarantine', wait: true })
          .expect(200);
      } finally {
        await other.close();
        // configureApp of the next server sets the prefix again; restore this suite's.
        const { reserveUserIdsFor } = await import('../../apps/server/src/http/user-id');
        reserveUserIdsFor('quarantine/');
      }
    });

    it('refuses null where a field is optional', async () => {
      const res = await request(server.url).post('/api/sync/analyze').set(auth()).send({ user_id: null }).expect(400);
      expect(res.body.fields).toEqual([expect.objectContaining({ field: 'user_id' })]);
    });
  });

  describe('fix', () => {
    it('refuses plan_id with a selection (400 naming the fields) instead of running the plan for other users', async () => {
      const plan = await request(server.url).post('/api/sync/fix').set(auth()).send({ user_id: 'alice' }).expect(200);
      const res = await request(server.url)
        .post('/api/sync/fix')
        .set(auth())
        .send({ plan_id: plan.body.plan_id, user_id: 'mallory', types: ['orphan_object'], dry_run: false })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'invalid_selection' });
      expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['user_id', 'types']);
      const actions = await get(`/api/sync/actions?plan_id=${plan.body.plan_id}`).expect(200);
      expect(actions.body.actions.filter((a: { dry_run: boolean }) => !a.dry_run)).toEqual([]);
    });
  });

  describe('GET /api/files', () => {
    it("pages a user's files with limit and cursor, in key order, each once", async () => {
      for (let i = 0; i < 5; i++) await seedFile(server.stores, { userId: 'pager', fileId: `p${i}`, fileKey: `pager/p${i}/f.txt` });
      const keys: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { files: { file_key: string }[]; next_cursor: string | null } } = await get(
          `/api/files?user_id=pager&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        expect(res.body.files.length).toBeLessThanOrEqual(2);
        keys.push(...res.body.files.map((f: { file_key: string }) => f.file_key));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(keys).toEqual(['pager/p0/f.txt', 'pager/p1/f.txt', 'pager/p2/f.txt', 'pager/p3/f.txt', 'pager/p4/f.txt']);
      const bad = await get(`/api/files?user_id=pager&cursor=${cursorOf([{ $gt: '' }])}`).expect(400);
      expect(bad.body).toMatchObject({ code: 'invalid_cursor', fields: [{ field: 'cursor' }] });
      await get('/api/files?user_id=pager&limit=5000').expect(400);
    });
  });

  describe('GET /api/sync/users', () => {
    it('pages users (a window of users at a time) with the substring filter across windows', async () => {
      for (let i = 0; i < 7; i++) await seedFile(server.stores, { userId: `crowd-${i}`, fileId: `crowd-file-${i}`, fileKey: `crowd-${i}/f.txt` });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { users: { user_id: string }[]; next_cursor: string | null } } = await get(
          `/api/sync/users?q=crowd&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        seen.push(...res.body.users.map((u) => u.user_id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `crowd-${i}`));
      expect(pages).toBe(3);
    });
  });

  describe('CSV export', () => {
    it('neutralises cells that start with = + - @ TAB or CR', async () => {
      for (const [fileId, key] of [
        ['c1', '=HYPERLINK("x")'],
        ['c2', '+1'],
        ['c3', '-2'],
        ['c4', '@SUM(A1)'],
        ['c5', '\tTAB'],
        ['c6', '\rCR'],
      ] as const) {
        await server.stores.objects.put(`alice/${key}`, Buffer.from(fileId));
      }
      await request(server.url).post('/api/sync/analyze').set(auth()).send({}).expect(200);
      const res = await get('/api/sync/issues?format=csv&type=orphan_object').expect(200);
      const keys = res.text
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => line.split(',')[5]);
      expect(keys.length).toBeGreaterThanOrEqual(6);
      for (const cell of keys) expect(cell).toMatch(/^("?')|^"?alice\//);
      expect(res.text).not.toMatch(/(^|,)[=+\-@\t\r]/m);
    });

    it('answers a bad cursor with 400 before sending 200', async () => {
      const res = await get(`/api/sync/issues?format=csv&cursor=${cursorOf([{ $gt: '' }, 'x'])}`).expect(400);
      expect(res.headers['content-type']).toMatch(/json/);
      expect(res.body.code).toBe('invalid_cursor');
    });
  });
});
