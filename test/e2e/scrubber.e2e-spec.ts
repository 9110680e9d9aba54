import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BusEvent, ScrubStatusResponse } from '@storesync/contract';
import { AppConfig } from '@storesync/config';
import { EventPublisher } from '@storesync/events';
import { StateCollection, StateDocument, StoreCallEvents } from '@storesync/storage';
import { seedFile } from '../support/seed';
import { startTestServer, TestServer } from '../support/server';
import { freePort, MINIO_ACCESS_KEY, MINIO_SECRET_KEY } from '../support/stack';
import { goBinary, startProcess, stopProcess } from '../support/stack/process';

interface ScrubRecord extends StateDocument {
  checked_at: string;
  outcome: string;
  sha256: string | null;
}

const ALICE = 'alice';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many shapes, asserted field by field
type Json = any;

async function api(server: TestServer, method: string, route: string, token = server.token): Promise<{ status: number; body: Json }> {
  const json =
    method === 'POST'
      ? { body: '{}', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }
      : { headers: { authorization: `Bearer ${token}` } };
  const response = await fetch(`${server.url}${route}`, { method, ...json });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** Starts a run through the API and waits until the status shows it finished. */
async function scrub(server: TestServer): Promise<ScrubStatusResponse> {
  const started = await api(server, 'POST', '/api/scrub/run');
  expect(started.status).toBe(202);
  const runId = started.body.run_id as string;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await api(server, 'GET', '/api/scrub/status');
    if (!body.running && body.last_run?.run_id === runId) return body as ScrubStatusResponse;
    if (Date.now() > deadline) throw new Error(`scrub run ${runId} did not finish: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function s3ClientFor(server: TestServer, endpoint = process.env.S3_ENDPOINT!): S3Client {
  return new S3Client({
    endpoint,
    region: process.env.S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: process.env.S3_ACCESS_KEY_ID ?? MINIO_ACCESS_KEY, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? MINIO_SECRET_KEY },
  });
}

/** Rewrites an object's bytes behind storesync's back (no checksum sent, metadata untouched): bit rot as the bucket shows it. */
async function overwrite(server: TestServer, key: string, body: Buffer, endpoint?: string): Promise<void> {
  const client = s3ClientFor(server, endpoint);
  try {
    await client.send(new PutObjectCommand({ Bucket: server.app.get(AppConfig).s3Bucket, Key: key, Body: body }));
  } finally {
    client.destroy();
  }
}

const openChecksumIssues = async (server: TestServer) =>
  (await api(server, 'GET', '/api/sync/issues?status=open&type=checksum_mismatch')).body.issues as {
    id: string;
    file_id: string;
    details: Record<string, unknown>;
  }[];

describe('checksum scrubber', () => {
  describe('findings through the issue lifecycle', () => {
    let server: TestServer;
    const events: BusEvent[] = [];

    beforeAll(async () => {
      server = await startTestServer({ SCRUB_INTERVAL_MINUTES: '0' });
      server.app.get(EventPublisher).onEvery((event) => void events.push(event));
    });
    afterAll(async () => server?.close());

    it('finds bytes changed directly in MinIO as checksum_mismatch, keeps it through plain analyses, and resolves it once the bytes are right again', async () => {
      const good = await seedFile(server.stores, { userId: ALICE, fileId: 'scrub-good' });
      const corrupt = await seedFile(server.stores, { userId: ALICE, fileId: 'scrub-corrupt' });
      await overwrite(server, corrupt.record.fileKey, Buffer.from(corrupt.bytes.toString('utf8').replace(/^./, 'X')));

      const first = await scrub(server);
      expect(first.last_run).toMatchObject({ state: 'completed', stopped: 'done', files_verified: 2, mismatches: 1 });
      expect(first.last_run!.bytes_verified).toBe(good.bytes.length + corrupt.bytes.length);
      expect(first.coverage).toMatchObject({ total_files: 2, verified_within_days: 2, never_verified: 0, mismatched: 1 });
      const [issue] = await openChecksumIssues(server);
      expect(issue).toMatchObject({ file_id: 'scrub-corrupt', details: { metadata_sha256: corrupt.record.sha256 } });
      expect(issue.details.object_sha256).not.toBe(corrupt.record.sha256);
      const detected = events.filter((e) => e.type === 'sync.issue.detected' && (e.data as { issue_id: string }).issue_id === issue.id);
      expect(detected).toHaveLength(1);
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['scrub.started', 'scrub.progress', 'scrub.completed']));

      // A plain analysis hashes nothing: it must not call the mismatch gone.
      expect((await api(server, 'POST', '/api/sync/analyze')).status).toBe(200);
      expect((await openChecksumIssues(server)).map((i) => i.id)).toEqual([issue.id]);
      // A deep analysis finds the same finding: the same issue, not a second one.
      const deep = await fetch(`${server.url}/api/sync/analyze`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ deep: true }),
      });
      expect(deep.status).toBe(200);
      expect((await openChecksumIssues(server)).map((i) => i.id)).toEqual([issue.id]);

      // Found again by the scrubber: still the one issue.
      await scrub(server);
      expect((await openChecksumIssues(server)).map((i) => i.id)).toEqual([issue.id]);

      await overwrite(server, corrupt.record.fileKey, corrupt.bytes);
      const fixed = await scrub(server);
      expect(fixed.last_run).toMatchObject({ files_verified: 2, mismatches: 0 });
      expect(fixed.coverage.mismatched).toBe(0);
      expect(await openChecksumIssues(server)).toEqual([]);
      const resolved = events.filter((e) => e.type === 'sync.issue.resolved' && (e.data as { issue_id: string }).issue_id === issue.id);
      expect(resolved).toHaveLength(1);
      const stored = await api(server, 'GET', '/api/sync/issues?status=resolved&type=checksum_mismatch');
      expect(stored.body.issues).toEqual([expect.objectContaining({ id: issue.id, status: 'resolved' })]);
    });

    it('leaves files inside the grace window and files with nothing to verify unread', async () => {
      const young = await startTestServer({ SCRUB_INTERVAL_MINUTES: '0', SYNC_GRACE_SECONDS: '3600' });
      try {
        const file = await seedFile(young.stores, { userId: ALICE, fileId: 'young' });
        await overwrite(young, file.record.fileKey, Buffer.from('rewritten while the upload is in flight'));
        await young.stores.metadata.upsert({ ...(await seedFile(young.stores, { fileId: 'no-sha' })).record, sha256: null });
        const status = await scrub(young);
        expect(status.last_run).toMatchObject({ state: 'completed', files_verified: 0, mismatches: 0 });
        expect(status.coverage).toMatchObject({ total_files: 2, never_verified: 1, not_checkable: 1 });
        expect(await openChecksumIssues(young)).toEqual([]);
      } finally {
        await young.close();
      }
    });

    it('answers the routes: status with coverage, 409 while a run goes, 400 for bad days, 403 for user tokens', async () => {
      const status = await api(server, 'GET', '/api/scrub/status?days=7');
      expect(status.status).toBe(200);
      expect(status.body.settings).toEqual({ interval_minutes: 0, time_budget_seconds: 300, bytes_per_second: 20 * 1024 * 1024, concurrency: 4 });
      expect(status.body.coverage.days).toBe(7);
      for (const days of ['0', '3651', 'x', '1.5']) {
        const bad = await api(server, 'GET', `/api/scrub/status?days=${days}`);
        expect({ days, status: bad.status, code: bad.body.code }).toEqual({ days, status: 400, code: 'validation_failed' });
      }
      const token = (await fetch(`${server.url}/api/sync/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: ALICE }),
      }).then((r) => r.json())) as { token: string };
      for (const [method, route] of [
        ['GET', '/api/scrub/status'],
        ['POST', '/api/scrub/run'],
      ]) {
        const refused = await api(server, method, route, token.token);
        expect({ route, status: refused.status, code: refused.body.code }).toEqual({ route, status: 403, code: 'forbidden' });
      }
    });
  });

  describe('order, time budget and continuation', () => {
    let server: TestServer;
    let records: StateCollection<ScrubRecord>;

    beforeAll(async () => {
      // 1000 bytes a second, 800-byte files, a 2 s budget: two files a run, the third cut off while paced.
      server = await startTestServer({ SCRUB_INTERVAL_MINUTES: '0', SCRUB_BYTES_PER_SECOND: '1000', SCRUB_TIME_BUDGET_SECONDS: '2', SCRUB_CONCURRENCY: '1' });
      records = server.stores.state.collection<ScrubRecord>('scrub_files');
    });
    afterAll(async () => server?.close());

    it('reads never-verified files first, then the least recently verified, and the next run continues where the budget stopped the last', async () => {
      const body = (name: string) => name.repeat(800).slice(0, 800);
      const files = new Map<string, Awaited<ReturnType<typeof seedFile>>>();
      for (const id of ['a', 'b', 'c', 'd']) files.set(id, await seedFile(server.stores, { fileId: `order-${id}` }, body(id)));
      // a, b and c were verified before (c longest ago); d never was.
      const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
      await records.upsertMany(
        (
          [
            ['a', 30],
            ['b', 20],
            ['c', 90],
          ] as const
        ).map(([id, ago]) => ({ id: `order-${id}`, checked_at: at(ago), outcome: 'verified', sha256: files.get(id)!.record.sha256!, bytes: 800 })),
      );
      const checked = async () => new Map((await records.find({})).map((r) => [r.id.replace('order-', ''), r.checked_at]));
      const before = await checked();

      const first = await scrub(server);
      expect(first.last_run).toMatchObject({ state: 'completed', stopped: 'time_budget', files_verified: 2, position: { phase: 'oldest' } });
      // The budget ends the run (a paced read cut off, not waited for) and the rate held: 1,600 bytes in about 2 s.
      expect(first.last_run!.duration_ms).toBeGreaterThanOrEqual(2000);
      expect(first.last_run!.duration_ms).toBeLessThan(3500);
      expect(first.last_run!.bytes_verified).toBe(1600);
      expect(first.last_run!.bytes_per_second).toBeLessThanOrEqual(1000 * 1.1);
      const afterFirst = await checked();
      const touched = (a: Map<string, string>, b: Map<string, string>) => [...b.keys()].filter((id) => a.get(id) !== b.get(id)).sort();
      expect(touched(before, afterFirst)).toEqual(['c', 'd']);

      const second = await scrub(server);
      expect(second.last_run).toMatchObject({ stopped: 'time_budget', files_verified: 2 });
      expect(touched(afterFirst, await checked())).toEqual(['a', 'b']);
      expect(second.coverage).toMatchObject({ total_files: 4, never_verified: 0, verified_within_days: 4 });
    });
  });

  describe('bookkeeping and the sweep cycle', () => {
    let server: TestServer;
    let records: StateCollection<ScrubRecord>;
    let positions: StateCollection<StateDocument & { sweep: { cursor: string | null; started_at: string | null; completed_at: string | null } }>;
    const FILES = 40;
    const WRITES = new Set(['insert', 'insertMany', 'upsertMany', 'update', 'updateMany', 'deleteMany']);

    beforeAll(async () => {
      server = await startTestServer({ SCRUB_INTERVAL_MINUTES: '0', SCRUB_BYTES_PER_SECOND: '0' });
      records = server.stores.state.collection<ScrubRecord>('scrub_files');
      positions = server.stores.state.collection('scrub_position');
    });
    afterAll(async () => server?.close());

    it('records what a run read in a few bulk writes, stamps each file when it was read, and sweeps again once per cycle', async () => {
      const sha = new Map<string, string>();
      for (let i = 0; i < FILES; i++) {
        const file = await seedFile(server.stores, { fileId: `bulk-${String(i).padStart(2, '0')}` }, `bytes of file ${i} `.repeat(40));
        sha.set(file.record.fileId, file.record.sha256!);
      }
      const writes: string[] = [];
      const stop = server.app.get(StoreCallEvents).subscribe((call) => {
        if (call.store === 'state' && WRITES.has(call.operation)) writes.push(call.operation);
      });
      let first: ScrubStatusResponse;
      try {
        first = await scrub(server);
      } finally {
        stop();
      }
      expect(first.last_run).toMatchObject({ state: 'completed', stopped: 'done', files_verified: FILES, mismatches: 0 });
      // One batch: a handful of state writes (run, position, the batch's records), never one per file.
      expect(writes.length).toBeLessThan(FILES / 2);
      const stamped = async () => new Map((await records.find({})).map((r) => [r.id, r]));
      const afterFirst = await stamped();
      expect([...afterFirst.keys()].sort()).toEqual([...sha.keys()].sort());
      for (const [id, record] of afterFirst) {
        expect({ id, outcome: record.outcome, sha256: record.sha256 }).toEqual({ id, outcome: 'verified', sha256: sha.get(id) });
        expect(record.checked_at >= first.last_run!.started_at && record.checked_at <= first.last_run!.finished_at!).toBe(true);
      }
      const swept = (await positions.get('scrubber'))!.sweep;
      expect(swept.completed_at).not.toBeNull();
      expect(swept.cursor).toBeNull();

      // The next run reads the least recently verified (all of them here), and does not sweep again:
      // the files the sweep itself verified are not "checked again since it completed".
      const second = await scrub(server);
      expect(second.last_run).toMatchObject({ state: 'completed', stopped: 'done', files_verified: FILES, position: { phase: 'oldest' } });
      expect((await positions.get('scrubber'))!.sweep).toEqual(swept);
      const afterSecond = await stamped();
      for (const [id, record] of afterSecond) expect({ id, newer: record.checked_at > afterFirst.get(id)!.checked_at }).toEqual({ id, newer: true });

      // Every file was checked again since the sweep completed: this run sweeps once more (nothing new), then reads the oldest.
      const third = await scrub(server);
      expect(third.last_run).toMatchObject({ state: 'completed', files_verified: FILES });
      const resweep = (await positions.get('scrubber'))!.sweep;
      expect(resweep.completed_at! > swept.completed_at!).toBe(true);
      expect(third.coverage).toMatchObject({ total_files: FILES, never_verified: 0, verified_within_days: FILES });
    });
  });

  describe('a store that hangs', () => {
    let minio: ChildProcess | undefined;
    let server: TestServer | undefined;
    let dir: string;

    beforeAll(async () => {
      // A private MinIO: stopping the shared one would stall every other suite.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scrub-minio-'));
      const port = await freePort();
      const consolePort = await freePort();
      minio = await startProcess({
        name: 'minio',
        command: goBinary('minio'),
        args: ['server', path.join(dir, 'data'), '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'],
        port,
        logFile: path.join(dir, 'minio.log'),
        env: {
          MINIO_ROOT_USER: MINIO_ACCESS_KEY,
          MINIO_ROOT_PASSWORD: MINIO_SECRET_KEY,
          MINIO_BROWSER: 'off',
          MINIO_UPDATE: 'off',
          MINIO_CALLHOME_ENABLE: 'off',
        },
        readyTimeoutMs: 60_000,
      });
      const endpoint = `http://127.0.0.1:${port}`;
      for (
        let i = 0;
        i < 300 &&
        !(await fetch(`${endpoint}/minio/health/ready`).then(
          (r) => r.ok,
          () => false,
        ));
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      server = await startTestServer({
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: MINIO_ACCESS_KEY,
        S3_SECRET_ACCESS_KEY: MINIO_SECRET_KEY,
        STORE_TIMEOUT_MS: '1500',
        SCRUB_INTERVAL_MINUTES: '0',
        SCRUB_BYTES_PER_SECOND: '1000',
        SCRUB_CONCURRENCY: '1',
      });
    }, 120_000);

    afterAll(async () => {
      if (minio?.pid) process.kill(minio.pid, 'SIGCONT');
      await server?.close();
      if (minio) await stopProcess(minio);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('stops the run as partial (store_unavailable) with no mismatch, and the next run finishes the files', async () => {
      const srv = server!;
      for (let i = 0; i < 6; i++) await seedFile(srv.stores, { fileId: `hung-${i}` }, `${i}`.repeat(1000));
      const started = await api(srv, 'POST', '/api/scrub/run');
      expect(started.status).toBe(202);
      // A second start while it runs: 409 naming the run.
      const again = await api(srv, 'POST', '/api/scrub/run');
      expect(again).toMatchObject({ status: 409, body: { code: 'conflict', run_id: started.body.run_id } });
      await new Promise((r) => setTimeout(r, 1500));
      process.kill(minio!.pid!, 'SIGSTOP');
      let status: ScrubStatusResponse;
      try {
        const deadline = Date.now() + 20_000;
        for (;;) {
          status = (await api(srv, 'GET', '/api/scrub/status')).body;
          if (!status.running && status.last_run?.run_id === started.body.run_id) break;
          if (Date.now() > deadline) throw new Error('the run did not stop while MinIO was stopped');
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        process.kill(minio!.pid!, 'SIGCONT');
      }
      expect(status!.last_run).toMatchObject({ state: 'partial', stopped: 'store_unavailable', mismatches: 0 });
      expect(status!.last_run!.files_verified).toBeLessThan(6);
      expect(status!.last_run!.reason).toMatch(/s3|object store/i);
      expect(await openChecksumIssues(srv)).toEqual([]);

      const next = await scrub(srv);
      expect(next.last_run).toMatchObject({ state: 'completed', stopped: 'done', mismatches: 0 });
      // The four never verified, then (budget left) the two the stopped run verified, least recent first.
      expect(next.last_run!.files_verified).toBe(6);
      expect(next.coverage).toMatchObject({ never_verified: 0, verified_within_days: 6, mismatched: 0 });
    }, 60_000);
  });
});
