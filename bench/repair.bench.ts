import { INestApplication } from '@nestjs/common';
import * as os from 'node:os';
import { AnalysisService } from '@storesync/analysis';
import { chunkPoints, FileRecord, mapBounded, pointId, readAll, sha256Hex, VectorPoint } from '@storesync/core';
import { EmbeddingProvider } from '@storesync/ingest';
import { EXECUTE_PAGE, RepairService } from '@storesync/repair';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { startBenchApp } from './app';
import type { BenchContext, BenchSuite, SuiteReport } from './suites';
import { isolatedStoreEnv, log } from './suite-env';

// The sizes. Smaller for a quick look: BENCH_REPAIR_ORPHANS=2000 BENCH_REPAIR_REEMBEDS=200.
const ORPHAN_FILES = Number(process.env.BENCH_REPAIR_ORPHANS ?? 10_000);
const REEMBED_FILES = Number(process.env.BENCH_REPAIR_REEMBEDS ?? 1_000);
/** RepairExecutor's concurrency, used for the floor too. */
const CONCURRENCY = 4;
const DIMENSION = 8;

function envFor(context: BenchContext, name: string): Record<string, string> {
  return isolatedStoreEnv(context, name, {
    EMBEDDING_DIMENSION: String(DIMENSION),
    SYNC_GRACE_SECONDS: '0',
    SYNC_TIMEOUT: '86400',
    SYNC_API_TOKEN: 'bench-repair-token-0123456789',
    // FerretDB has no change streams: the feed would poll, a full scan of the files every 2 s
    // on both apps, and re-check each file the repair re-embeds. The repair measured alone.
    CHANGE_FEED_METADATA: 'off',
  });
}

/** 10,000 files' orphan points, and 1,000 files with metadata and object but no points. */
async function seed(app: INestApplication): Promise<{ orphanIds: string[]; reembed: FileRecord[] }> {
  const vectors = app.get(VectorStore);
  const metadata = app.get(MetadataStore);
  const objects = app.get(ObjectStore);
  const orphanIds = Array.from({ length: ORPHAN_FILES }, (_, i) => `orphan-${i}`);
  for (let i = 0; i < orphanIds.length; i += 500) {
    const points: VectorPoint[] = orphanIds.slice(i, i + 500).map((fileId) => ({
      id: pointId(fileId, 0),
      fileId,
      userId: `u${fileId.length % 7}`,
      chunkIndex: 0,
      chunkCount: 1,
      contentHash: 'f'.repeat(64),
      model: 'hash-v1',
      text: 'left behind',
      vector: Array.from({ length: DIMENSION }, (_, d) => (d === 0 ? 1 : 0)),
    }));
    await vectors.upsert(points);
  }
  const created = new Date(Date.now() - 86_400_000);
  const reembed = await mapBounded(
    Array.from({ length: REEMBED_FILES }, (_, i) => i),
    16,
    async (i) => {
      const bytes = Buffer.from(`# file ${i}\n\n${'words to embed again. '.repeat(60)}`);
      const sha256 = sha256Hex(bytes);
      const record: FileRecord = {
        fileId: `re-${i}`,
        userId: `u${i % 7}`,
        fileKey: `u${i % 7}/re-${i}.md`,
        fileName: `re-${i}.md`,
        fileSize: bytes.length,
        contentType: 'text/markdown',
        sha256,
        isActive: true,
        embedding: { chunks: 2, model: 'hash-v1', contentHash: sha256 },
        createdAt: created,
        updatedAt: created,
        deletedAt: null,
      };
      await metadata.upsert(record);
      await objects.put(record.fileKey, bytes, { contentType: record.contentType, sha256 });
      return record;
    },
  );
  return { orphanIds, reembed };
}

function load(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

/** The same work done directly with the adapters: the floor. */
async function floor(app: INestApplication, orphanIds: string[], reembed: FileRecord[]): Promise<{ deleteSeconds: number; reembedSeconds: number }> {
  const vectors = app.get(VectorStore);
  const metadata = app.get(MetadataStore);
  const objects = app.get(ObjectStore);
  const embedder = app.get(EmbeddingProvider);
  let started = performance.now();
  await mapBounded(orphanIds, CONCURRENCY, (fileId) => vectors.deleteByFileId(fileId));
  const deleteSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await mapBounded(reembed, CONCURRENCY, async (record) => {
    const text = (await readAll(await objects.getStream(record.fileKey))).toString('utf8');
    const chunks = text.match(/[\s\S]{1,1000}/g) ?? [];
    const embedded = await embedder.embed(chunks);
    await vectors.upsert(chunkPoints({ fileId: record.fileId, userId: record.userId, contentHash: record.sha256!, model: embedder.model }, chunks, embedded));
    await metadata.update(record.fileId, { embedding: { chunks: chunks.length, model: embedder.model, contentHash: record.sha256! } });
  });
  return { deleteSeconds, reembedSeconds: (performance.now() - started) / 1000 };
}

/** Fixes every open issue of the type through RepairService: one plan of any size, then a second that finds nothing left. */
async function repair(app: INestApplication, type: 'orphan_vectors' | 'missing_vectors'): Promise<{ seconds: number; done: number; failed: number }> {
  const service = app.get(RepairService);
  const started = performance.now();
  let done = 0;
  let failed = 0;
  for (;;) {
    // A person's fix: the circuit breaker would refuse deleting most of the collection.
    const outcome = await service.fix({ selection: { types: [type] }, dryRun: false, allowDestructive: true, force: true, actor: 'api' });
    done += outcome.summary.done;
    failed += outcome.summary.failed;
    if (outcome.summary.done === 0) break;
  }
  return { seconds: (performance.now() - started) / 1000, done, failed };
}

export const suite: BenchSuite = {
  name: 'repair',
  byDefault: true,
  async run(context: BenchContext): Promise<SuiteReport> {
    const stamp = Date.now();
    const floorApp = await startBenchApp(envFor(context, `bench_repair_floor_${stamp}`));
    const repairApp = await startBenchApp(envFor(context, `bench_repair_${stamp}`));
    try {
      log(`repair: seeding ${ORPHAN_FILES} orphan-point files and ${REEMBED_FILES} files to re-embed, twice`);
      let phase = performance.now();
      const lap = (what: string) => {
        log(`repair: ${what} in ${((performance.now() - phase) / 1000).toFixed(1)} s`);
        phase = performance.now();
      };
      const direct = await seed(floorApp);
      await seed(repairApp);
      lap('seeded');
      const base = await floor(floorApp, direct.orphanIds, direct.reembed);
      lap('floor measured');
      await repairApp.get(AnalysisService).start({ trigger: 'bench' }).done;
      lap('analysed');
      const deletions = await repair(repairApp, 'orphan_vectors');
      lap('orphan points deleted');
      const reembeds = await repair(repairApp, 'missing_vectors');
      lap('files re-embedded');
      const rows = [
        { action: 'delete_vectors', count: ORPHAN_FILES, run: deletions, floorSeconds: base.deleteSeconds },
        { action: 'reembed', count: REEMBED_FILES, run: reembeds, floorSeconds: base.reembedSeconds },
      ];
      for (const r of rows) {
        log(
          `repair ${r.action}: ${r.run.done} done, ${r.run.failed} failed in ${r.run.seconds.toFixed(1)} s (${(r.run.done / r.run.seconds).toFixed(0)}/s); floor ${(r.count / r.floorSeconds).toFixed(0)}/s; ratio ${(r.run.seconds / r.floorSeconds).toFixed(2)}`,
        );
      }
      return {
        title: 'Repair throughput',
        markdown: [
          `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load()}. \`RepairService.fix\` (a plan stored in pages, each line`,
          `journalled, re-checked against the live stores before acting and verified after, audited and resolved in bulk per step of ${EXECUTE_PAGE} lines;`,
          'delete_vectors lines go to Qdrant as one batch per step, re-embeds in batches of 50, two batches under way) against the floor: the same',
          `store operations made directly with the adapters at concurrency ${CONCURRENCY} (no re-check, journal, verification, audit or resolution).`,
          'The change feed is off in both apps (FerretDB has no change streams: it would poll, a scan of the files every 2 s).',
          '',
          '| action | issues | done | failed | repair s | actions/s | floor s | floor ops/s | ratio |',
          '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
          ...rows.map(
            (r) =>
              `| ${r.action} | ${r.count} | ${r.run.done} | ${r.run.failed} | ${r.run.seconds.toFixed(1)} | ${(r.run.done / r.run.seconds).toFixed(0)} | ${r.floorSeconds.toFixed(1)} | ${(r.count / r.floorSeconds).toFixed(0)} | ${(r.run.seconds / r.floorSeconds).toFixed(2)} |`,
          ),
        ],
      };
    } finally {
      await floorApp.close();
      await repairApp.close();
    }
  },
};
