import { SchedulerRegistry } from '@nestjs/schedule';
import { SyncEvent } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { FULL_ANALYSIS_INTERVAL, HEALTH_PROBE_INTERVAL, QuarantinePurgeHook, RedisRunLock, SchedulingService } from '@storesync/scheduling';
import { Redis } from 'ioredis';
import { isolatedStackEnv, startTestServer, TestServer } from '../support/server';

describe('scheduling (real stack, Redis lock)', () => {
  const env = isolatedStackEnv();
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestServer({ ...env, SYNC_CHECK_INTERVAL: '7' }), startTestServer({ ...env, SYNC_CHECK_INTERVAL: '7' })]);
  });
  afterAll(async () => Promise.all([a?.close(), b?.close()]));

  const scheduling = (s: TestServer) => s.app.get(SchedulingService, { strict: false });

  it('registers the analysis interval from SYNC_CHECK_INTERVAL and the health probe', () => {
    const registry = a.app.get(SchedulerRegistry, { strict: false });
    expect(registry.getIntervals()).toEqual(expect.arrayContaining([FULL_ANALYSIS_INTERVAL, HEALTH_PROBE_INTERVAL]));
    const timer = registry.getInterval<NodeJS.Timeout & { _idleTimeout: number }>(FULL_ANALYSIS_INTERVAL);
    expect(timer._idleTimeout).toBe(7 * 60_000);
  });

  it('never overlaps runs in one instance', async () => {
    const [first, second] = await Promise.all([scheduling(a).runFullAnalysis(), scheduling(a).runFullAnalysis()]);
    expect([first, second]).toEqual(['completed', 'skipped_running']);
  });

  it('runs the analysis on one instance only when several fire together', async () => {
    const outcomes = await Promise.all([scheduling(a).runFullAnalysis(), scheduling(b).runFullAnalysis()]);
    expect(outcomes.sort()).toEqual(['completed', 'skipped_locked']);
    // The lock is released afterwards: the next tick runs again.
    expect(await scheduling(b).runFullAnalysis()).toBe('completed');
  });

  it('publishes store.health from the probe', async () => {
    const seen: SyncEvent[] = [];
    const listener = (event: SyncEvent) => seen.push(event);
    const stop = a.app.get(EventPublisher).on('store.health', listener);
    try {
      await scheduling(a).probeHealth();
    } finally {
      stop();
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      type: 'store.health',
      user_id: null,
      data: { mongodb: { ok: true, kind: 'mongodb' }, s3: { ok: true }, qdrant: { ok: true } },
    });
  });

  it('runs the quarantine purge hook once set, under the lock', async () => {
    const calls: Date[] = [];
    await scheduling(a).purgeQuarantine();
    a.app.get(QuarantinePurgeHook, { strict: false }).setPurge(async (now) => void calls.push(now));
    await scheduling(a).purgeQuarantine();
    expect(calls).toHaveLength(1);
  });

  it('the Redis lock has one holder and expires', async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    const sut = new RedisRunLock(redis, `storesync:test:${Date.now()}:`);
    try {
      const lease = await sut.acquire('x', 200);
      expect(lease).not.toBeNull();
      expect(await sut.acquire('x', 200)).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const next = await sut.acquire('x', 10_000);
      expect(next).not.toBeNull();
      await lease!.release(); // stale: must not free the new holder
      expect(await sut.acquire('x', 10_000)).toBeNull();
      await next!.release();
      expect(await sut.acquire('x', 10_000)).not.toBeNull();
    } finally {
      await sut.close();
    }
  });
});
