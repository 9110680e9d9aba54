import { SchedulingService } from '@storesync/scheduling';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/server';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

describe('retention of runs, plans and audit rows (daily maintenance)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SYNC_RUN_RETENTION_DAYS: '10', SYNC_PLAN_RETENTION_DAYS: '3', SYNC_AUDIT_RETENTION_DAYS: '20' });
  });
  afterAll(() => server?.close());

  it('prunes what is past each retention and keeps the rest, a running run included', async () => {
    const state = server.stores.state;
    const runs = state.collection<{ id: string; started_at: string; state: string }>('sync_runs');
    const plans = state.collection<{ id: string; created_at: string }>('sync_repair_plans');
    const pages = state.collection<{ id: string; plan_id: string; page: number; lines: object[] }>('sync_repair_plan_pages');
    const actions = state.collection<{ id: string; at: string }>('sync_actions');
    await runs.insertMany([
      { id: 'run-old', started_at: daysAgo(11), state: 'completed' },
      { id: 'run-old-running', started_at: daysAgo(11), state: 'running' },
      { id: 'run-recent', started_at: daysAgo(9), state: 'partial' },
    ]);
    await plans.insertMany([
      { id: 'plan-old', created_at: daysAgo(4) },
      { id: 'plan-recent', created_at: daysAgo(2) },
    ]);
    await pages.insertMany([
      { id: 'plan-old:p000000', plan_id: 'plan-old', page: 0, lines: [{ seq: 0 }] },
      { id: 'plan-old:p000001', plan_id: 'plan-old', page: 1, lines: [{ seq: 500 }] },
      { id: 'plan-recent:p000000', plan_id: 'plan-recent', page: 0, lines: [{ seq: 0 }] },
    ]);
    await actions.insertMany([
      { id: 'action-old', at: daysAgo(21) },
      { id: 'action-recent', at: daysAgo(19) },
    ]);
    // A real run and plan of today stay too.
    await request(server.url).post('/api/sync/analyze').set('Authorization', `Bearer ${server.token}`).send({}).expect(200);

    await server.app.get(SchedulingService, { strict: false }).purgeQuarantine();

    const ids = async (c: { find(f: object): Promise<{ id: string }[]> }) => (await c.find({})).map((d) => d.id).sort();
    const runIds = await ids(runs);
    expect(runIds).not.toContain('run-old');
    expect(runIds).toEqual(expect.arrayContaining(['run-old-running', 'run-recent']));
    expect(runIds).toHaveLength(3);
    expect(await ids(plans)).toEqual(['plan-recent']);
    expect(await ids(pages)).toEqual(['plan-recent:p000000']);
    expect(await ids(actions)).toEqual(['action-recent']);
  });
});
