import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ReadAhead } from '@storesync/core';

/** Turns chunks of items into text and back (JSON, with the named Date fields revived). */
export interface SpillCodec<T> {
  encode(items: T[]): string;
  decode(text: string): T[];
}

export function jsonSpillCodec<T>(dateFields: readonly (keyof T)[]): SpillCodec<T> {
  return {
    encode: (items) => JSON.stringify(items),
    decode: (text) => {
      const items = JSON.parse(text) as Record<keyof T, unknown>[];
      for (const item of items) {
        for (const field of dateFields) if (item[field] != null) item[field] = new Date(item[field] as string);
      }
      return items as T[];
    },
  };
}

export interface SpillOptions<T> {
  /** Items held in memory; beyond them whole chunks go to a temporary file. */
  memoryItems: number;
  codec: SpillCodec<T>;
  chunkItems?: number;
  /** Bytes the file may reach before the source waits for the reader instead. */
  maxFileBytes?: number;
  /** Where the temporary directory is made (default: the OS's, i.e. TMPDIR). */
  directory?: string;
}

export interface SpillingReadAhead<T> extends ReadAhead<T> {
  /** Items that went through the file so far. */
  readonly spilledItems: number;
}

type Chunk<T> = { items: T[] } | { position: number; length: number; count: number };

/**
 * A read-ahead that never makes a fast source wait for a slow consumer and never holds
 * more than `memoryItems` of it: past that, chunks are written to a temporary file and
 * read back in order. A scan's streams arrive at very different times (FerretDB sorts
 * the whole collection before its first record; S3 lists at once), so the fast store is
 * read while the join waits, instead of during the join. A file that cannot be written
 * (disk full) turns it back into a plain bounded read-ahead; the file is removed when
 * the reader ends or cancels.
 */
export function spillingReadAhead<T>(source: AsyncIterable<T>, options: SpillOptions<T>): SpillingReadAhead<T> {
  const chunkItems = options.chunkItems ?? 1000;
  const maxFileBytes = options.maxFileBytes ?? 4 * 1024 ** 3;
  const chunks: Chunk<T>[] = [];
  let tail: T[] = [];
  let inMemory = 0;
  let spilled = 0;
  let done = false;
  let failure: { error: unknown } | null = null;
  let file: { handle: FileHandle; dir: string; size: number } | null = null;
  let spillBroken = false;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  const wake = (which: 'consumer' | 'producer') => {
    const resolve = which === 'consumer' ? wakeConsumer : wakeProducer;
    if (which === 'consumer') wakeConsumer = null;
    else wakeProducer = null;
    resolve?.();
  };

  /** Writes the chunk to the file; false when it cannot (the caller keeps it in memory). */
  const spill = async (items: T[]): Promise<boolean> => {
    if (spillBroken) return false;
    try {
      if (!file) {
        const dir = await mkdtemp(path.join(options.directory ?? tmpdir(), 'storesync-scan-'));
        file = { handle: await open(path.join(dir, 'chunks'), 'w+'), dir, size: 0 };
      }
      const bytes = Buffer.from(options.codec.encode(items));
      if (file.size + bytes.length > maxFileBytes) return false;
      await file.handle.write(bytes, 0, bytes.length, file.size);
      chunks.push({ position: file.size, length: bytes.length, count: items.length });
      file.size += bytes.length;
      spilled += items.length;
      return true;
    } catch {
      spillBroken = true;
      return false;
    }
  };

  const seal = async () => {
    const items = tail;
    tail = [];
    if (inMemory > options.memoryItems && (await spill(items))) {
      inMemory -= items.length;
    } else {
      chunks.push({ items });
    }
    wake('consumer');
  };

  const pump = (async () => {
    try {
      for await (const item of source) {
        tail.push(item);
        inMemory += 1;
        if (tail.length >= chunkItems) await seal();
        else if (chunks.length === 0) wake('consumer');
        // Only when the file is full or broken does the source wait for the reader.
        while (inMemory >= options.memoryItems + chunkItems && !done) await new Promise<void>((resolve) => (wakeProducer = resolve));
        if (done) return;
      }
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      wake('consumer');
    }
  })();

  const load = async (chunk: Chunk<T>): Promise<T[]> => {
    if ('items' in chunk) return chunk.items;
    const bytes = Buffer.alloc(chunk.length);
    await file!.handle.read(bytes, 0, chunk.length, chunk.position);
    inMemory += chunk.count;
    return options.codec.decode(bytes.toString());
  };

  const cleanup = async () => {
    done = true;
    wake('producer');
    await pump.catch(() => undefined);
    const spillFile = file;
    file = null;
    if (spillFile) {
      await spillFile.handle.close().catch(() => undefined);
      await rm(spillFile.dir, { recursive: true, force: true }).catch(() => undefined);
    }
  };

  return {
    get spilledItems() {
      return spilled;
    },
    cancel() {
      void cleanup();
    },
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const chunk = chunks.shift() ?? (tail.length > 0 ? { items: tail.splice(0) } : undefined);
          if (chunk) {
            for (const item of await load(chunk)) {
              inMemory -= 1;
              wake('producer');
              yield item;
            }
            continue;
          }
          if (done) {
            if (failure) throw (failure as { error: unknown }).error;
            return;
          }
          await new Promise<void>((resolve) => (wakeConsumer = resolve));
        }
      } finally {
        await cleanup();
      }
    },
  };
}
