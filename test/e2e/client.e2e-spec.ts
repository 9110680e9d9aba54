import { collect, createClient, LiveSubscription, StoreSyncClient, StoreSyncError, StoreSyncTransportError, SyncEvent } from '@storesync/client';
import { EventPublisher } from '@storesync/events';
import { SyncGateway } from '@storesync/realtime';
import { freePort } from '../support/stack';
import { startTestServer, TestServer } from '../support/server';

async function until<T>(what: string, probe: () => T | undefined | false | null, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function expectCode<T>(promise: Promise<T>, code: string, status: number): Promise<StoreSyncError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${code} error, got a success`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreSyncError);
  expect(error).toMatchObject({ code, status });
  return error as StoreSyncError;
}

const text = (n: number) => `document ${n}: ` + Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

/** @storesync/client against the real server on the real stack: every method, pagination, errors by code, live events. */
describe('@storesync/client (real server, real stack)', () => {
  let server: TestServer;
  let client: StoreSyncClient;
  const subscriptions: LiveSubscription[] = [];
  const unauthorized: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ EVENT_QUEUE_SIZE: '50', METRICS_TOKEN: 'metrics-scraper-token-0123' });
    client = createClient({ baseUrl: server.url, token: server.token });
  });
  afterAll(async () => {
    subscriptions.forEach((s) => s.close());
    await server?.close();
  });

  const live = (sut: StoreSyncClient, ...args: Parameters<StoreSyncClient['live']>) => {
    const subscription = sut.live(...args);
    subscriptions.push(subscription);
    return subscription;
  };

  it('reads health and the probes', async () => {
    expect(await client.health()).toMatchObject({ status: 'ok', stores: { mongodb: { ok: true }, s3: { ok: true }, qdrant: { ok: true } } });
    expect((await client.liveness()).status).toBe('ok');
    expect((await client.readiness()).status).toBe('ok');
  });

  it('uploads, lists, checks and deletes files through the pipeline', async () => {
    const uploads = [];
    for (let i = 0; i < 3; i++) {
      uploads.push(await client.upload({ userId: 'cl-alice', file: new TextEncoder().encode(text(i)), fileName: `doc-${i}.txt`, contentType: 'text/plain' }));
    }
    for (const u of uploads) expect(u).toMatchObject({ user_id: 'cl-alice', partial: false, steps: { metadata: 'done', object: 'done', vectors: 'done' } });
    await client.upload({ userId: 'cl-bob', file: text(9), fileName: 'bob.txt', contentType: 'text/plain' });

    const listed = await client.files({ user_id: 'cl-alice' });
    expect(listed.files.map((f) => f.file_id).sort()).toEqual(uploads.map((u) => u.file_id).sort());
    const check = await client.checkFile(uploads[0].file_id);
    expect(check).toMatchObject({ file_id: uploads[0].file_id, status: 'synced', stores: { mongodb: true, s3: true, qdrant: true } });
    expect(check.points).toBeGreaterThan(0);

    const removed = await client.deleteFile(uploads[2].file_id);
    expect(removed).toMatchObject({ file_id: uploads[2].file_id, partial: false, steps: { metadata: 'done', object: 'done' } });
    expect((await client.files({ user_id: 'cl-alice' })).files).toHaveLength(2);
    expect((await client.files({ user_id: 'cl-alice', include_deleted: true })).files).toHaveLength(3);
    await expectCode(client.deleteFile('no-such-file'), 'not_found', 404);
  });

  it('analyses, waits for runs and pages through runs, users, files and issues', async () => {
    // Three more files for alice, so her file list has pages; one object removed behind the pipeline's back.
    for (let i = 3; i < 6; i++) await client.upload({ userId: 'cl-alice', file: text(i), fileName: `doc-${i}.txt` });
    const files = (await client.files({ user_id: 'cl-alice' })).files;
    await server.stores.objects.delete(files[0].file_key);

    const run = await client.analyze({});
    expect(run).toMatchObject({ state: 'completed', partial: false, scope: { user_id: null } });
    expect(run.issues.map((i) => i.type)).toContain('missing_object');
    const started = await client.startAnalysis({ user_id: 'cl-alice' });
    const waited = await client.waitForRun(started.run_id);
    expect(waited).toMatchObject({ run_id: started.run_id, state: 'completed', scope: { user_id: 'cl-alice' } });
    expect(await client.run(started.run_id)).toMatchObject({ run_id: started.run_id });

    const runs = await collect(client.iterateRuns({ limit: 1 }));
    expect(runs.map((r) => r.run_id)).toEqual([started.run_id, run.run_id]);
    expect((await client.runs({ limit: 1 })).next_cursor).toEqual(expect.any(String));

    // The status pages show deleted files too (is_active false): 6 files, 3 pages of 2.
    const everFiles = (await client.files({ user_id: 'cl-alice', include_deleted: true })).files;
    const aliceFiles = await collect(client.userFiles('cl-alice', { limit: 2 }));
    expect(aliceFiles).toHaveLength(6);
    expect(aliceFiles.map((f) => f.file_id).sort()).toEqual(everFiles.map((f) => f.file_id).sort());
    expect(new Set(aliceFiles.map((f) => f.file_id)).size).toBe(aliceFiles.length);
    const page = await client.userStatus('cl-alice', { limit: 2 });
    expect(page).toMatchObject({ user_id: 'cl-alice', status: 'missing', files: expect.any(Array) });
    expect(page.files).toHaveLength(2);

    const users = await collect(client.iterateUsers({ limit: 1 }));
    expect(users.map((u) => u.user_id).sort()).toEqual(['cl-alice', 'cl-bob']);
    expect(users.find((u) => u.user_id === 'cl-alice')).toMatchObject({ missing: 1, open_issues: 1 });

    const issues = await collect(client.iterateIssues({ status: 'open', limit: 1 }));
    expect(issues).toEqual([expect.objectContaining({ type: 'missing_object', user_id: 'cl-alice', file_id: files[0].file_id })]);
    const csv = await client.issuesCsv({ status: 'open' });
    expect(csv.split('\n')[0]).toMatch(/^id,type,status/);
    expect(csv).toContain(files[0].file_id);

    const overview = await client.overview();
    expect(overview).toMatchObject({ open_issues: 1, last_run: { run_id: started.run_id } });

    // A stopped iteration asks for no further page.
    let pages = 0;
    const counting = createClient({
      baseUrl: server.url,
      token: server.token,
      fetch: (input, init) => {
        if ((input instanceof Request ? input.url : input.toString()).includes('/api/sync/runs')) pages += 1;
        return fetch(input, init);
      },
    });
    for await (const first of counting.iterateRuns({ limit: 1 })) {
      expect(first.run_id).toBe(started.run_id);
      break;
    }
    expect(pages).toBe(1);
  });

  it('plans and audits repairs, restores, and tells errors apart by code', async () => {
    const plan = await client.fix({ user_id: 'cl-alice' });
    expect(plan).toMatchObject({ dry_run: true, plan_id: expect.any(String), summary: { planned: expect.any(Number) } });
    expect(plan.actions.map((a) => a.type)).toEqual(['missing_object']);
    const trail = await client.actions({ plan_id: plan.plan_id });
    expect(trail.actions.length).toBe(plan.actions.length);
    expect(trail.actions[0]).toMatchObject({ plan_id: plan.plan_id, dry_run: true });

    await expectCode(client.restoreQuarantined('quarantine/2026-01-01/cl-alice/none-such.txt'), 'not_found', 404);
    const outside = await expectCode(client.restoreQuarantined('cl-alice/not-quarantined.txt'), 'validation_failed', 400);
    expect(outside.body.fields).toEqual([expect.objectContaining({ field: 'key' })]);
    await expectCode(client.fix({ plan_id: '0b6f0000-0000-4000-8000-000000000000', dry_run: false }), 'not_found', 404);
    const invalid = await expectCode(client.fix({ plan_id: 'not-a-plan' }), 'validation_failed', 400);
    expect(invalid.body.fields).toEqual([expect.objectContaining({ field: 'plan_id' })]);
    await expectCode(client.run('0b6f0000-0000-4000-8000-000000000000'), 'not_found', 404);
    await expectCode(client.userStatus('cl-nobody'), 'not_found', 404);

    // An analysis already running is told from any other conflict by its code, with the run's id.
    const first = await client.startAnalysis({});
    const busy = await expectCode(client.analyze({}), 'analysis_running', 409);
    expect(busy.body.run_id).toBe(first.run_id);
    expect(StoreSyncError.is(busy, 'analysis_running')).toBe(true);
    expect(StoreSyncError.is(busy, 'circuit_breaker')).toBe(false);
    await client.waitForRun(first.run_id);
  });

  it('executes a saved plan in the background and follows it, pages plan lines and the audit trail', async () => {
    // Five orphan objects: a plan with several lines to page through.
    for (let i = 0; i < 5; i++) await server.stores.objects.put(`cl-frank/orphan-${i}.txt`, Buffer.from(`orphan ${i}`));
    await client.analyze({});
    const plan = await client.fix({ user_id: 'cl-frank', allow_destructive: true });
    expect(plan.total_actions).toBe(5);
    const lines = await collect(client.iteratePlanLines(plan.plan_id, { limit: 2 }));
    expect(lines).toHaveLength(5);
    expect(new Set(lines.map((l) => l.issue_id)).size).toBe(5);
    expect(lines.every((l) => l.action === 'quarantine_object')).toBe(true);

    const started = await client.startRepair({ plan_id: plan.plan_id, allow_destructive: true });
    expect(started.plan_id).toBe(plan.plan_id);
    const done = await client.waitForRepair(started.repair_id);
    expect(done).toMatchObject({ repair_id: started.repair_id, state: 'completed', total: 5, processed: 5, summary: { done: 5 } });
    expect(await client.repair(started.repair_id)).toMatchObject({ state: 'completed' });
    const audited = await collect(client.iterateActions({ repair_id: started.repair_id, limit: 2 }));
    expect(audited.filter((a) => a.result === 'done')).toHaveLength(5);
    expect(new Set(audited.map((a) => a.id)).size).toBe(audited.length);
    await expectCode(client.repair('0b6f0000-0000-4000-8000-000000000000'), 'not_found', 404);

    // What the repair quarantined, page by page, and one object put back.
    const quarantined = (await collect(client.iterateQuarantine({ limit: 2 }))).filter((o) => o.original_key.startsWith('cl-frank/'));
    expect(quarantined.map((o) => o.original_key).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `cl-frank/orphan-${i}.txt`));
    expect(await client.restoreQuarantined(quarantined[0].key)).toEqual({ restored_key: quarantined[0].original_key });
    expect(await server.stores.objects.head(quarantined[0].original_key)).not.toBeNull();
  });

  it('reads the automatic repair status, notifications, the data model and the doctor', async () => {
    expect(await client.autoRepair()).toMatchObject({ enabled: false, totals: expect.any(Object), recent: [] });
    expect(await client.notificationChannels()).toEqual({ channels: [] });
    expect(await client.deliveries()).toEqual({ deliveries: [] });
    expect(await client.deadLetters()).toEqual({ deliveries: [] });
    await expectCode(client.testNotification('nope'), 'channel_not_found', 404);
    await expectCode(client.retryDelivery('0b6f0000-0000-4000-8000-000000000000'), 'delivery_not_found', 404);
    expect((await client.dataModel()).source).toEqual(expect.any(String));
    expect(await client.doctor()).toEqual(expect.objectContaining({}));
  });

  it('refuses a wrong token with unauthorized and says so to onUnauthorized', async () => {
    const wrong = createClient({ baseUrl: server.url, token: 'not-the-token-0123456789', onUnauthorized: (e) => unauthorized.push(e.code) });
    await expectCode(wrong.overview(), 'unauthorized', 401);
    expect(unauthorized).toEqual(['unauthorized']);
    // The login form's candidate token: refused, but not an expiry of the session's token.
    await expectCode(wrong.overview({ token: 'another-wrong-token-0123' }), 'unauthorized', 401);
    expect(unauthorized).toEqual(['unauthorized']);
  });

  it('acts as one user with a user token, and is refused for another (forbidden)', async () => {
    const issued = await client.issueUserToken({ user_id: 'cl-alice', ttl_seconds: 600 });
    expect(issued).toMatchObject({ user_id: 'cl-alice', token: expect.any(String), expires_at: expect.any(String) });
    const alice = createClient({ baseUrl: server.url, token: issued.token });
    expect((await alice.userStatus('cl-alice')).user_id).toBe('cl-alice');
    const session = await alice.me();
    expect(session).toMatchObject({ role: 'user', user_id: 'cl-alice' });
    // The token carries whole seconds.
    expect(Math.abs(Date.parse(session.expires_at!) - Date.parse(issued.expires_at))).toBeLessThan(1000);
    expect(await client.me()).toMatchObject({ role: 'admin', user_id: null });
    expect((await collect(alice.iterateIssues({ user_id: 'cl-alice' }))).length).toBeGreaterThan(0);
    await expectCode(alice.userStatus('cl-bob'), 'forbidden', 403);
    await expectCode(alice.overview(), 'forbidden', 403);
    // Revoked: refused from then on, and a second revoke finds no live token.
    expect(await client.revokeUserToken(issued.token)).toMatchObject({ revoked: true, user_id: 'cl-alice' });
    await expectCode(alice.userStatus('cl-alice'), 'unauthorized', 401);
    await expectCode(client.revokeUserToken(issued.token), 'not_found', 404);
  });

  it('notifies events, reads event stats, feeds and metrics', async () => {
    const before = await client.eventStats();
    const accepted = await client.notify({
      type: 'file.uploaded',
      user_id: 'cl-carol',
      file_id: 'cl-carol-1',
      file_key: 'cl-carol/cl-carol-1/a.txt',
      file_name: 'a.txt',
    });
    expect(accepted).toEqual({ accepted: true, type: 'file.uploaded', file_id: 'cl-carol-1' });
    expect((await client.eventStats()).seq).toBeGreaterThan(before.seq);
    const feeds = await client.feeds();
    expect(feeds.feeds.map((f) => f.feed).sort()).toEqual(['mongodb', 's3']);
    expect(await client.metrics()).toMatch(/^# HELP storesync_/m);
  });

  it('reports an unreachable server as a transport error, not as a code', async () => {
    const port = await freePort();
    const error = await createClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'x' })
      .health()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreSyncTransportError);
    expect((error as StoreSyncTransportError).status).toBeNull();
  });

  describe('live subscription', () => {
    const publish = (userId: string, fileId: string) =>
      server.app.get(EventPublisher).publish('file.uploaded', { file_key: `${userId}/${fileId}`, file_name: fileId }, { userId, fileId });

    it('delivers typed events and each event of a burst once, in seq order', async () => {
      const sub = live(client, { all: true });
      const seen: SyncEvent<'file.uploaded'>[] = [];
      sub.on('file.uploaded', (event) => {
        if (event.user_id === 'cl-burst') seen.push(event);
      });
      await until('connected', () => sub.state.status === 'connected');
      await new Promise((resolve) => setTimeout(resolve, 100)); // the subscribe ack
      for (let i = 0; i < 5; i++) publish('cl-burst', `b-${i}`);
      await until('the burst', () => seen.length === 5);
      expect(seen.map((e) => e.data.file_name)).toEqual(['b-0', 'b-1', 'b-2', 'b-3', 'b-4']);
      expect(seen.map((e) => e.seq)).toEqual([...seen.map((e) => e.seq)].sort((a, b) => a - b));
      expect(sub.lastSeq).toBeGreaterThanOrEqual(seen[4].seq);
      sub.close();
      expect(sub.state.status).toBe('closed');
    });

    it.each([
      ['the network drops (transport closed)', (sub: LiveSubscription) => sub.socket.io.engine.close()],
      ['the server closes the socket', (sub: LiveSubscription) => disconnectOnServer(sub)],
    ])('after %s, reconnects with last_seq and gets each missed event exactly once', async (_, kill) => {
      const sub = live(client, { all: true }, { reconnectionDelayMs: 800, reconnectionDelayMaxMs: 800, refusedRetryMs: 800 });
      const received: SyncEvent[] = [];
      const connects: boolean[] = [];
      sub.onEvent((event) => {
        if (event.user_id === 'cl-drop') received.push(event);
      });
      sub.onConnect(({ reconnected }) => connects.push(reconnected));
      await until('connected', () => connects.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      publish('cl-drop', 'before-1');
      publish('cl-drop', 'before-2');
      await until('the events before', () => received.length === 2);

      kill(sub);
      await until('the drop', () => sub.state.status !== 'connected');
      const missed = Array.from({ length: 6 }, (_, i) => publish('cl-drop', `missed-${i}`));
      expect(connects).toEqual([false]); // still disconnected while they were published
      await until('the reconnection', () => connects.length === 2);
      await until('the missed events', () => received.length >= 8);
      await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more may arrive
      publish('cl-drop', 'after');
      await until('the event after', () => received.length === 9);

      const names = received.map((e) => (e as SyncEvent<'file.uploaded'>).data.file_name);
      expect(names).toEqual(['before-1', 'before-2', ...missed.map((e) => e.data.file_name), 'after']);
      expect(new Set(received.map((e) => e.seq)).size).toBe(received.length);
      expect(connects).toEqual([false, true]);
      sub.close();
    });

    it('reports replay.gap when what it missed is older than the server keeps, and replays what it still has', async () => {
      const sub = live(client, { all: true }, { reconnectionDelayMs: 800, reconnectionDelayMaxMs: 800 });
      const gaps: number[] = [];
      const received: string[] = [];
      sub.onGap((gap) => gaps.push(gap.from_seq));
      sub.on('file.uploaded', (event) => {
        if (event.user_id === 'cl-gap') received.push(event.data.file_name);
      });
      await until('connected', () => sub.state.status === 'connected');
      await new Promise((resolve) => setTimeout(resolve, 100));
      publish('cl-gap', 'first');
      await until('the first event', () => received.length === 1);
      const lastSeen = sub.lastSeq!;
      sub.socket.io.engine.close();
      await until('the drop', () => sub.state.status !== 'connected');
      // EVENT_QUEUE_SIZE is 50: 60 events while away push the last seen one out of the buffer.
      for (let i = 0; i < 60; i++) publish('cl-gap', `away-${i}`);
      await until('the gap', () => gaps.length === 1);
      expect(gaps).toEqual([lastSeen + 1]);
      await until('the replayed tail', () => received.length === 51);
      expect(received.slice(1)).toEqual(Array.from({ length: 50 }, (_, i) => `away-${i + 10}`));
      sub.close();
    });

    it('subscribes as a user with a user token, and sees only that user', async () => {
      const { token } = await client.issueUserToken({ user_id: 'cl-dora' });
      const dora = createClient({ baseUrl: server.url, token });
      const sub = live(dora, { userId: 'cl-dora' });
      const users: (string | null)[] = [];
      sub.onEvent((event) => {
        users.push(event.user_id);
      });
      await until('connected', () => sub.state.status === 'connected');
      await new Promise((resolve) => setTimeout(resolve, 100));
      publish('cl-erin', 'not-hers');
      publish('cl-dora', 'hers');
      await until('her event', () => users.length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(users).toEqual(['cl-dora']);
      expect(sub.state.error).toBeUndefined();
    });

    it('is refused with a bad token, says so, and keeps trying', async () => {
      const sub = live(createClient({ baseUrl: server.url, token: 'forged-token-0123456789' }), { all: true }, { refusedRetryMs: 100 });
      const states: string[] = [];
      sub.onState((state) => {
        states.push(state.status);
      });
      await until('refused twice', () => states.filter((s) => s === 'offline').length >= 2, 5000);
      expect(sub.state.error).toMatch(/unauthorized/);
      sub.close();
    });
  });

  function disconnectOnServer(sub: LiveSubscription): void {
    const id = sub.socket.id;
    // The gateway's namespace, through the Socket.IO server Nest created.
    type GatewayInside = { namespace: { sockets: Map<string, { disconnect(close: boolean): void }> } };
    const gateway = server.app.get<SyncGateway, GatewayInside>(SyncGateway);
    gateway.namespace.sockets.get(id!)!.disconnect(true);
  }
});
