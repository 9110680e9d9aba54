import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AnalysisService } from '@storesync/analysis';
import { pointId, VectorPoint } from '@storesync/core';
import { RepairService } from '@storesync/repair';
import { VectorStore } from '@storesync/storage';
import { AppModule } from '../../apps/server/src/app.module';
import { PLAN_PAGE } from '../../libs/repair/src/repair-planner.service';

const LINES = 1200;
const DIMENSION = 8;

/** Turns of the event loop while `work` runs (a setImmediate chain counts them). */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let handle: NodeJS.Immediate | undefined;
  const tick = () => {
    turns += 1;
    handle = setImmediate(tick);
  };
  handle = setImmediate(tick);
  try {
    const result = await work();
    return { result, turns };
  } finally {
    clearImmediate(handle);
  }
}

// The embedded stores answer synchronously (node:sqlite): a plan that never gave the event loop a
// turn held the whole service (no HTTP answer, every socket event queued) until it ended.
describe('a large plan on the embedded stores', () => {
  let app: INestApplication;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-plan-turns-'));
    const env = {
      MONGODB_URI: '',
      S3_ENDPOINT: '',
      QDRANT_URL: '',
      REDIS_URL: '',
      DATA_DIR: dataDir,
      EMBEDDING_DIMENSION: String(DIMENSION),
      SYNC_GRACE_SECONDS: '0',
      SYNC_API_TOKEN: 'test-admin-token-0123456789',
      LOG_LEVEL: 'warn',
      SYNC_MAX_DELETE_MIN: String(10 * LINES),
      CHANGE_FEED_METADATA: 'off',
    };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await app.init();
    const points: VectorPoint[] = Array.from({ length: LINES }, (_, i) => ({
      id: pointId(`orphan-${i}`, 0),
      fileId: `orphan-${i}`,
      userId: `u${i % 7}`,
      chunkIndex: 0,
      chunkCount: 1,
      contentHash: 'f'.repeat(64),
      model: 'hash-v1',
      text: 'left behind',
      vector: Array.from({ length: DIMENSION }, (_, d) => (d === 0 ? 1 : 0)),
    }));
    await app.get(VectorStore).upsert(points);
    await app.get(AnalysisService).start({ trigger: 'test' }).done;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the event loop a turn for every page it plans and executes', async () => {
    const repair = app.get(RepairService);
    const planned = await turnsDuring(() => repair.plan({ types: ['orphan_vectors'] }, 'api'));
    expect(planned.result.lines).toBe(LINES);
    expect(planned.turns).toBeGreaterThanOrEqual(Math.ceil(LINES / PLAN_PAGE) - 1);

    const executed = await turnsDuring(() => repair.execute(planned.result.id, { actor: 'api', allowDestructive: true }));
    expect(executed.result.progress.summary).toMatchObject({ done: LINES, failed: 0 });
    // A turn at least every 50 executed lines.
    expect(executed.turns).toBeGreaterThanOrEqual(LINES / 50 - 1);
  });
});
