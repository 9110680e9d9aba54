import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ObjectInfo } from '@storesync/core';
import type { ObjectStore } from '@storesync/storage';

/** SHA-256 of an object: the checksum the store kept, else its bytes hashed as they stream. */
export async function objectSha256(objects: ObjectStore, info: ObjectInfo): Promise<string> {
  if (info.sha256) return info.sha256;
  const hash = createHash('sha256');
  for await (const chunk of await objects.getStream(info.key)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Runs fn over items with at most `limit` in flight, keeping the order of results. */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}
