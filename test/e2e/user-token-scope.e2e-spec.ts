import { randomUUID } from 'node:crypto';
import { signUserToken } from '@storesync/realtime';
import { seedFile } from '../support/seed';
import { startTestServer, type TestServer } from '../support/server';

// What a user token (POST /api/sync/tokens) may do over REST, route by route. The routes are
// taken from the OpenAPI document, so a route added without a decision here fails the suite.

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers of every route, read loosely by the assertions
  body: any;
}

/** `form`: sent as multipart/form-data instead of a JSON body. */
type Call = { method: string; path: string; body?: unknown; form?: Record<string, string> };

/** A route open to user tokens: `own` is a request for the token's user, `others` requests other users' data. */
interface UserRoute {
  own: Call;
  others: Call[];
}

/** An admin-only route: `call` as a user token would try it, naming its own user where the route takes one. */
interface AdminRoute {
  call: Call;
}

/**
 * `public`: open without a token, answering `status`. `selfAuth`: outside the bearer guard with a
 * secret of its own (metrics token, webhook token), which a user token is not.
 */
type Decision = { public: Call & { status: number } } | { selfAuth: Call } | { admin: AdminRoute } | { user: UserRoute };

const ALICE = 'alice';
const BOB = 'bob';

describe('user tokens over REST (scoped to their own user)', () => {
  let server: TestServer;
  let alice: string;
  let ids: {
    aliceUnembedded: string;
    aliceLost: string;
    bobFile: string;
    aliceVectorsIssue: string;
    aliceLostIssue: string;
    bobIssue: string;
  };

  const send = async ({ method, path, body, form }: Call, token?: string): Promise<Reply> => {
    const multipart = form ? new FormData() : undefined;
    Object.entries(form ?? {}).forEach(([name, value]) => multipart!.append(name, value));
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: multipart ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // CSV and other non-JSON answers stay text.
    }
    return { status: response.status, body: parsed };
  };
  const asAdmin = (call: Call) => send(call, server.token);
  const asAlice = (call: Call) => send(call, alice);

  const expectForbidden = (reply: Reply, call: Call) => {
    expect({ call, status: reply.status, code: reply.body?.code }).toEqual({ call, status: 403, code: 'forbidden' });
    expect(typeof reply.body.message).toBe('string');
  };

  beforeAll(async () => {
    server = await startTestServer({ SYNC_API_DOCS: 'true' });
    const { stores } = server;
    await seedFile(stores, { userId: ALICE, fileId: 'alice-ok', fileName: 'ok.txt' });
    await seedFile(stores, { userId: ALICE, fileId: 'alice-unembedded', fileName: 'unembedded.txt' });
    await stores.vectors.deleteByFileId('alice-unembedded');
    const lost = await seedFile(stores, { userId: ALICE, fileId: 'alice-lost', fileName: 'lost.txt' });
    await stores.objects.delete(lost.record.fileKey);
    await seedFile(stores, { userId: BOB, fileId: 'bob-unembedded', fileName: 'bob.txt' });
    await stores.vectors.deleteByFileId('bob-unembedded');
    expect((await asAdmin({ method: 'POST', path: '/api/sync/analyze', body: {} })).status).toBe(200);

    const issues = (await asAdmin({ method: 'GET', path: '/api/sync/issues?status=open' })).body.issues as { id: string; type: string; file_id: string }[];
    const issueOf = (fileId: string) => issues.find((i) => i.file_id === fileId)!.id;
    ids = {
      aliceUnembedded: 'alice-unembedded',
      aliceLost: 'alice-lost',
      bobFile: 'bob-unembedded',
      aliceVectorsIssue: issueOf('alice-unembedded'),
      aliceLostIssue: issueOf('alice-lost'),
      bobIssue: issueOf('bob-unembedded'),
    };
    const issued = await asAdmin({ method: 'POST', path: '/api/sync/tokens', body: { user_id: ALICE } });
    expect(issued.status).toBe(200);
    alice = issued.body.token;
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Every route of the OpenAPI document with what a user token may do there. */
  const decisions = (): Record<string, Decision> => ({
    'GET /api/health': { public: { method: 'GET', path: '/api/health', status: 200 } },
    'GET /api/health/live': { public: { method: 'GET', path: '/api/health/live', status: 200 } },
    'GET /api/health/ready': { public: { method: 'GET', path: '/api/health/ready', status: 200 } },
    'HEAD /api/feeds/s3': { public: { method: 'HEAD', path: '/api/feeds/s3', status: 200 } },
    'GET /metrics': { selfAuth: { method: 'GET', path: '/metrics' } },
    'POST /api/feeds/s3': { selfAuth: { method: 'POST', path: '/api/feeds/s3', body: { Records: [] } } },
    'GET /api/feeds/status': { admin: { call: { method: 'GET', path: '/api/feeds/status' } } },
    'GET /api/notifications/channels': { admin: { call: { method: 'GET', path: '/api/notifications/channels' } } },
    'GET /api/notifications/deliveries': { admin: { call: { method: 'GET', path: '/api/notifications/deliveries' } } },
    'GET /api/notifications/dead-letters': { admin: { call: { method: 'GET', path: '/api/notifications/dead-letters' } } },
    'POST /api/notifications/deliveries/{id}/retry': { admin: { call: { method: 'POST', path: '/api/notifications/deliveries/no-such-delivery/retry' } } },
    'POST /api/notifications/test': { admin: { call: { method: 'POST', path: '/api/notifications/test', body: {} } } },
    'GET /api/auto-repair': { admin: { call: { method: 'GET', path: '/api/auto-repair' } } },
    'GET /api/scrub/status': { admin: { call: { method: 'GET', path: '/api/scrub/status' } } },
    'POST /api/scrub/run': { admin: { call: { method: 'POST', path: '/api/scrub/run', body: {} } } },
    'GET /api/data-model': { admin: { call: { method: 'GET', path: '/api/data-model' } } },
    'GET /api/doctor': { admin: { call: { method: 'GET', path: '/api/doctor' } } },
    // Off here (SEED_DEMO is not set): test/e2e/panel-demo.e2e-spec.ts covers it on.
    'GET /api/demo/panel-token': { public: { method: 'GET', path: '/api/demo/panel-token?user_id=alice', status: 404 } },
    'GET /api/sync/me': { user: { own: { method: 'GET', path: '/api/sync/me' }, others: [] } },
    'GET /api/sync/status/{user_id}': {
      user: { own: { method: 'GET', path: `/api/sync/status/${ALICE}` }, others: [{ method: 'GET', path: `/api/sync/status/${BOB}` }] },
    },
    'GET /api/sync/issues': {
      user: {
        own: { method: 'GET', path: `/api/sync/issues?status=open&user_id=${ALICE}` },
        others: [
          { method: 'GET', path: `/api/sync/issues?status=open&user_id=${BOB}` },
          { method: 'GET', path: '/api/sync/issues?status=open' },
          { method: 'GET', path: `/api/sync/issues?user_id=${ALICE}&user_id=${BOB}` },
          { method: 'GET', path: `/api/sync/issues?format=csv&user_id=${BOB}` },
        ],
      },
    },
    'GET /api/files': {
      user: {
        own: { method: 'GET', path: `/api/files?user_id=${ALICE}` },
        others: [
          { method: 'GET', path: `/api/files?user_id=${BOB}` },
          { method: 'GET', path: '/api/files' },
        ],
      },
    },
    'POST /api/sync/check/{file_id}': {
      user: { own: { method: 'POST', path: `/api/sync/check/${ids.aliceUnembedded}` }, others: [{ method: 'POST', path: `/api/sync/check/${ids.bobFile}` }] },
    },
    'POST /api/sync/fix': {
      user: {
        own: { method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, issue_ids: [ids.aliceVectorsIssue] } },
        others: [
          { method: 'POST', path: '/api/sync/fix', body: { user_id: BOB } },
          { method: 'POST', path: '/api/sync/fix', body: {} },
          { method: 'POST', path: '/api/sync/fix', body: { user_ids: [ALICE, BOB] } },
          { method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, issue_ids: [ids.bobIssue] } },
          { method: 'POST', path: '/api/sync/fix', body: { issue_ids: [ids.aliceVectorsIssue] } },
        ],
      },
    },
    'POST /api/sync/analyze': { admin: { call: { method: 'POST', path: '/api/sync/analyze', body: { user_id: ALICE } } } },
    'GET /api/sync/overview': { admin: { call: { method: 'GET', path: '/api/sync/overview' } } },
    'GET /api/sync/users': { admin: { call: { method: 'GET', path: `/api/sync/users?q=${ALICE}` } } },
    'GET /api/sync/runs': { admin: { call: { method: 'GET', path: '/api/sync/runs' } } },
    'GET /api/sync/runs/{run_id}': { admin: { call: { method: 'GET', path: '/api/sync/runs/unknown-run' } } },
    'GET /api/sync/actions': { admin: { call: { method: 'GET', path: `/api/sync/actions?user_id=${ALICE}` } } },
    'GET /api/sync/plans/{plan_id}/actions': { admin: { call: { method: 'GET', path: `/api/sync/plans/${randomUUID()}/actions` } } },
    'GET /api/sync/repairs/{repair_id}': { admin: { call: { method: 'GET', path: `/api/sync/repairs/${randomUUID()}` } } },
    'GET /api/sync/quarantine': { admin: { call: { method: 'GET', path: '/api/sync/quarantine' } } },
    'GET /api/sync/quarantine/points': { admin: { call: { method: 'GET', path: `/api/sync/quarantine/points?user_id=${ALICE}` } } },
    'POST /api/sync/quarantine/points/restore': {
      admin: { call: { method: 'POST', path: '/api/sync/quarantine/points/restore', body: { file_id: 'no-such-file' } } },
    },
    'POST /api/sync/quarantine/restore': { admin: { call: { method: 'POST', path: '/api/sync/quarantine/restore', body: { key: `quarantine/${ALICE}/x` } } } },
    // Without a file part: the admin gets 400, so nothing is uploaded by this table.
    'POST /api/files': { admin: { call: { method: 'POST', path: '/api/files', form: { user_id: ALICE } } } },
    'DELETE /api/files/{file_id}': { admin: { call: { method: 'DELETE', path: `/api/files/${ids.aliceUnembedded}` } } },
    'POST /api/sync/events': {
      admin: { call: { method: 'POST', path: '/api/sync/events', body: { type: 'file.uploaded', user_id: ALICE, file_id: ids.aliceUnembedded } } },
    },
    'GET /api/sync/events/stats': { admin: { call: { method: 'GET', path: '/api/sync/events/stats' } } },
    'POST /api/sync/tokens': { admin: { call: { method: 'POST', path: '/api/sync/tokens', body: { user_id: ALICE } } } },
    'POST /api/sync/tokens/revoke': { admin: { call: { method: 'POST', path: '/api/sync/tokens/revoke', body: { token: 'v1.not.live' } } } },
  });

  async function documentedRoutes(): Promise<{ key: string; userToken: unknown }[]> {
    const doc = (await send({ method: 'GET', path: '/api/docs-json' })).body as { paths: Record<string, Record<string, { 'x-user-token'?: unknown }>> };
    return Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, userToken: operation['x-user-token'] })),
    );
  }

  it('has a decision for every route of the OpenAPI document, and the document marks exactly the user routes', async () => {
    const routes = await documentedRoutes();
    const table = decisions();
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => r.key).filter((key) => !(key in table))).toEqual([]);
    expect(Object.keys(table).filter((key) => !routes.some((r) => r.key === key))).toEqual([]);
    const marked = routes
      .filter((r) => typeof r.userToken === 'string')
      .map((r) => r.key)
      .sort();
    expect(marked).toEqual(
      Object.entries(table)
        .filter(([, d]) => 'user' in d)
        .map(([key]) => key)
        .sort(),
    );
  });

  it("refuses a user token on every admin-only route with 403 forbidden, even for its own user's data; the admin passes", async () => {
    const admin = Object.entries(decisions()).filter((e): e is [string, { admin: AdminRoute }] => 'admin' in e[1]);
    expect(admin.length).toBeGreaterThanOrEqual(12);
    for (const [, { admin: route }] of admin) {
      expectForbidden(await asAlice(route.call), route.call);
    }
    // The admin token is not refused on any of them (their own answers vary: 200, 400, 404...).
    for (const [, { admin: route }] of admin) {
      if (route.call.method === 'DELETE') continue; // would delete alice's file; proven below with an unknown id
      expect({ call: route.call, status: [401, 403].includes((await asAdmin(route.call)).status) }).toEqual({ call: route.call, status: false });
    }
    expect((await asAdmin({ method: 'DELETE', path: '/api/files/no-such-file' })).status).toBe(404);
  });

  it("opens each user route for the token's own user, and refuses every other user's data with 403 forbidden", async () => {
    const user = Object.entries(decisions()).filter((e): e is [string, { user: UserRoute }] => 'user' in e[1]);
    expect(user.length).toBe(6);
    for (const [, { user: route }] of user) {
      for (const call of route.others) expectForbidden(await asAlice(call), call);
    }
    for (const [key, { user: route }] of user) {
      const reply = await asAlice(route.own);
      expect({ key, status: reply.status }).toEqual({ key, status: 200 });
      // The admin keeps full access to the same routes, including other users' data.
      expect({ key, status: (await asAdmin(route.others[0] ?? route.own)).status < 300 }).toEqual({ key, status: true });
    }
  });

  it('answers 401 without a token, with a forged, an expired, a revoked or a foreign-key user token, on every guarded route', async () => {
    const forged = alice.slice(0, -4) + (alice.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const expired = signUserToken(ALICE, new Date(Date.now() - 1000), server.token);
    const foreign = signUserToken(ALICE, new Date(Date.now() + 3600_000), 'some-other-admin-token-123');
    const revoked = (await asAdmin({ method: 'POST', path: '/api/sync/tokens', body: { user_id: ALICE } })).body.token as string;
    expect((await send({ method: 'GET', path: '/api/sync/me' }, revoked)).status).toBe(200);
    expect((await asAdmin({ method: 'POST', path: '/api/sync/tokens/revoke', body: { token: revoked } })).status).toBe(200);
    for (const decision of Object.values(decisions())) {
      if ('selfAuth' in decision) {
        // Its own secret decides: a user token is no better than none.
        const status = (await send(decision.selfAuth, alice)).status;
        expect({ call: decision.selfAuth, status: [401, 403, 404].includes(status) }).toEqual({ call: decision.selfAuth, status: true });
        continue;
      }
      if ('public' in decision) {
        expect((await send(decision.public)).status).toBe(decision.public.status);
        continue;
      }
      const call = 'admin' in decision ? decision.admin.call : decision.user.own;
      for (const token of [undefined, forged, expired, foreign, revoked, 'not-a-token']) {
        const reply = await send(call, token);
        expect({ call, token, status: reply.status }).toEqual({ call, token, status: 401 });
      }
    }
  });

  it('tells a token who it is: its user, expiry and the repairs it may ask for', async () => {
    const me = await asAlice({ method: 'GET', path: '/api/sync/me' });
    expect(me.body).toEqual({ role: 'user', user_id: ALICE, expires_at: expect.any(String), user_repair_actions: ['reembed'] });
    expect(Date.parse(me.body.expires_at)).toBeGreaterThan(Date.now() + 3000_000);
    const admin = await asAdmin({ method: 'GET', path: '/api/sync/me' });
    expect(admin.body).toEqual({ role: 'admin', user_id: null, expires_at: null, user_repair_actions: ['reembed'] });
  });

  it("shows a user token only its own user's status, files and issues", async () => {
    const status = await asAlice({ method: 'GET', path: `/api/sync/status/${ALICE}` });
    expect(status.body.files.map((f: { file_id: string }) => f.file_id).sort()).toEqual(['alice-lost', 'alice-ok', 'alice-unembedded']);
    const issues = await asAlice({ method: 'GET', path: `/api/sync/issues?status=open&user_id=${ALICE}` });
    expect(new Set(issues.body.issues.map((i: { user_id: string }) => i.user_id))).toEqual(new Set([ALICE]));
    expect(issues.body.issues.map((i: { id: string }) => i.id).sort()).toEqual([ids.aliceVectorsIssue, ids.aliceLostIssue].sort());
    const files = await asAlice({ method: 'GET', path: `/api/files?user_id=${ALICE}` });
    expect(files.body.files.every((f: { user_id: string }) => f.user_id === ALICE)).toBe(true);
    const csv = await asAlice({ method: 'GET', path: `/api/sync/issues?format=csv&user_id=${ALICE}` });
    expect(csv.status).toBe(200);
    expect(String(csv.body)).not.toContain(BOB);
  });

  it('checks its own file, answers 404 for a file nobody has, and 403 for another user’s file', async () => {
    const own = await asAlice({ method: 'POST', path: `/api/sync/check/${ids.aliceLost}` });
    expect(own.status).toBe(200);
    expect(own.body.status).toBe('missing');
    expect((await asAlice({ method: 'POST', path: '/api/sync/check/nobody-has-this' })).status).toBe(404);
    const malformed = await asAlice({ method: 'POST', path: `/api/sync/check/${encodeURIComponent('bad id!')}` });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'invalid_param']);
    expectForbidden(await asAlice({ method: 'POST', path: `/api/sync/check/${ids.bobFile}` }), { method: 'POST', path: 'check bob' });
  });

  it('refuses destructive, forced, saved-plan and not-allowed repairs from a user token', async () => {
    const refused: Call[] = [
      { method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, allow_destructive: true, dry_run: false } },
      { method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, force: true } },
      { method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, plan_id: '6f0c2a52-8d5c-4c8e-9a57-0b7b7d0e3c11' } },
      { method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, types: ['orphan_object'] } },
      // restore_object is not in the default SYNC_USER_REPAIR_ACTIONS (reembed)
      { method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, issue_ids: [ids.aliceLostIssue], dry_run: false } },
    ];
    for (const call of refused) expectForbidden(await asAlice(call), call);
    // Nothing was repaired by any of them.
    const open = await asAdmin({ method: 'GET', path: `/api/sync/issues?status=open&user_id=${ALICE}` });
    expect(open.body.issues).toHaveLength(2);
  });

  it('re-embeds its own file on request, and the file is synced afterwards', async () => {
    const dry = await asAlice({ method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, issue_ids: [ids.aliceVectorsIssue] } });
    expect(dry.body).toMatchObject({ dry_run: true, summary: { planned: 1 } });
    expect(dry.body.actions).toEqual([expect.objectContaining({ action: 'reembed', result: 'planned' })]);
    const fixed = await asAlice({ method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, issue_ids: [ids.aliceVectorsIssue], dry_run: false } });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ dry_run: false, summary: { done: 1, failed: 0 } });
    const status = await asAlice({ method: 'GET', path: `/api/sync/status/${ALICE}` });
    const file = status.body.files.find((f: { file_id: string }) => f.file_id === ids.aliceUnembedded);
    expect(file).toMatchObject({ status: 'synced', stores: { mongodb: true, s3: true, qdrant: true } });
    // "all my issues" plans only what a user may repair: the missing object stays for a person.
    const all = await asAlice({ method: 'POST', path: '/api/sync/fix', body: { user_id: ALICE, dry_run: false } });
    expect(all.status).toBe(200);
    expect(all.body.actions).toEqual([]);
    const audit = await asAdmin({ method: 'GET', path: `/api/sync/actions?file_id=${ids.aliceUnembedded}` });
    expect(audit.body.actions.some((a: { actor: string; result: string }) => a.actor === 'user' && a.result === 'done')).toBe(true);
    // bob's unembedded file was not touched by alice's repairs.
    const bob = await asAdmin({ method: 'GET', path: `/api/sync/issues?status=open&user_id=${BOB}` });
    expect(bob.body.issues.map((i: { id: string }) => i.id)).toEqual([ids.bobIssue]);
  });
});

describe('user tokens with SYNC_USER_REPAIR_ACTIONS empty', () => {
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
  });

  it('refuses every repair a user token asks for, and still lets it read its own status', async () => {
    server = await startTestServer({ SYNC_USER_REPAIR_ACTIONS: '' });
    await seedFile(server.stores, { userId: ALICE, fileId: 'alice-only' });
    const token = signUserToken(ALICE, new Date(Date.now() + 3600_000), server.token);
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const fix = await fetch(`${server.url}/api/sync/fix`, { method: 'POST', headers, body: JSON.stringify({ user_id: ALICE }) });
    expect(fix.status).toBe(403);
    expect(((await fix.json()) as { code: string }).code).toBe('forbidden');
    expect((await fetch(`${server.url}/api/sync/status/${ALICE}`, { headers })).status).toBe(200);
  });
});

describe('SYNC_CORS_ORIGINS (an application embedding the panel from its own origin)', () => {
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
  });

  it('lets the listed origins call the API with a bearer token, and no other origin', async () => {
    server = await startTestServer({ SYNC_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/' });
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/sync/status/${ALICE}`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect((await preflight('http://localhost:5173')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect((await preflight('https://evil.example.net')).headers.get('access-control-allow-origin')).toBeNull();
    const token = signUserToken(ALICE, new Date(Date.now() + 3600_000), server.token);
    const get = await fetch(`${server.url}/api/sync/me`, { headers: { Origin: 'https://app.example.com', Authorization: `Bearer ${token}` } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('sends no CORS headers when unset', async () => {
    const plain = await startTestServer();
    try {
      const reply = await fetch(`${plain.url}/api/health`, { headers: { Origin: 'https://app.example.com' } });
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
