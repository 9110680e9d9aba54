import mongoose from 'mongoose';
import type { SeedResult } from './seed';

/** The service's own collections: dropped before a measurement on a reused data set. */
const STATE_COLLECTIONS = ['sync_issues', 'sync_issues_resolved', 'sync_scope_checks', 'sync_runs', 'sync_user_status', 'sync_actions', 'sync_repair_plans'];
/** Where a kept data set records that its seeding finished (and how it went). */
const SEED_MARKER = 'bench_seed';

/** One short-lived client for a bench chore on the data set's database. */
export async function withDatabase<T>(mongoUri: string, work: (db: mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const client = await new mongoose.mongo.MongoClient(mongoUri, { serverSelectionTimeoutMS: 10_000 }).connect();
  try {
    return await work(client.db());
  } finally {
    await client.close();
  }
}

/** The seeding result of a kept data set, or null when it was never seeded to the end. */
export function keptSeed(mongoUri: string): Promise<SeedResult | null> {
  return withDatabase(mongoUri, async (db) => {
    const marker = await db.collection<{ _id: string; result: SeedResult }>(SEED_MARKER).findOne({ _id: 'seed' });
    return marker?.result ?? null;
  });
}

export function markSeeded(mongoUri: string, result: SeedResult): Promise<void> {
  return withDatabase(mongoUri, async (db) => {
    await db.collection<{ _id: string; result: SeedResult }>(SEED_MARKER).replaceOne({ _id: 'seed' }, { result }, { upsert: true });
  });
}

/** Documents removed per command: FerretDB v1 binds each as an SQL variable, and SQLite allows 32,766. */
const DELETE_CHUNK = 10_000;

/**
 * A measurement on a reused data set starts from no runs and no issues, as a fresh one
 * does. Emptied, not dropped: FerretDB v1 keeps a dropped collection's SQLite indexes, so
 * the service's index creation on the recreated collection fails with "already exists".
 */
export function clearServiceState(mongoUri: string): Promise<void> {
  return withDatabase(mongoUri, async (db) => {
    for (const name of STATE_COLLECTIONS) {
      const collection = db.collection<{ _id: unknown }>(name);
      for (;;) {
        const ids = (
          await collection
            .find({}, { projection: { _id: 1 } })
            .limit(DELETE_CHUNK)
            .toArray()
        ).map((doc) => doc._id);
        if (ids.length === 0) break;
        await collection.deleteMany({ _id: { $in: ids } });
      }
    }
  });
}
