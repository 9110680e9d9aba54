import type { INestApplication } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { cpuSecondsSince } from './rss';

export interface StoreListing {
  seconds: number;
  /** Until the first item arrived (a server may sort everything before answering). */
  firstSeconds?: number;
  items: number;
}

export interface FloorResult {
  mongodb: StoreListing;
  s3: StoreListing;
  qdrant: StoreListing;
  /** Wall time of the three listings run in parallel. */
  parallelSeconds: number;
  /** The slowest single store: what no scan reading every store can beat. */
  floorSeconds: number;
  /** CPU the process used for the three listings (both cores count). */
  cpuSeconds?: number;
}

/**
 * The floor: a raw listing of each store through the service's own adapters, page by
 * page as FullScan reads them, with the page sizes FullScan uses (since 952e612 every store: max(SYNC_BATCH_SIZE, 1000); metadata
 * sorted by file_key), all three in parallel. Nothing is kept, nothing classified.
 */
export async function measureFloor(app: INestApplication): Promise<FloorResult> {
  const batchSize = app.get(AppConfig).sync.batchSize;
  const listPage = Math.max(batchSize, 1000);
  const timed = async (list: (first: () => void) => Promise<number>): Promise<StoreListing> => {
    const started = performance.now();
    let firstSeconds: number | undefined;
    const items = await list(() => (firstSeconds ??= (performance.now() - started) / 1000));
    return { seconds: (performance.now() - started) / 1000, firstSeconds, items };
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const [mongodb, s3, qdrant] = await Promise.all([
    timed(async (first) => {
      let n = 0;
      for await (const page of app.get(MetadataStore).streamFilePages({ batchSize: listPage })) {
        if (n === 0) first();
        n += page.length;
      }
      return n;
    }),
    timed(async () => {
      let n = 0;
      for await (const page of app.get(ObjectStore).listObjectPages({ pageSize: listPage })) n += page.length;
      return n;
    }),
    timed(async () => {
      let n = 0;
      for await (const page of app.get(VectorStore).scrollPointRefs({ pageSize: listPage })) n += page.length;
      return n;
    }),
  ]);
  const parallelSeconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  return { mongodb, s3, qdrant, parallelSeconds, floorSeconds: Math.max(mongodb.seconds, s3.seconds, qdrant.seconds), cpuSeconds };
}
