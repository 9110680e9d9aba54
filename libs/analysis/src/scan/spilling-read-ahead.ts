import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Turns pages of items into text and back (JSON, with the named Date fields revived). */
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
  /** Items held in memory; beyond them whole pages go to a temporary file. */
  memoryItems: number;
  codec: SpillCodec<T>;
  /** Bytes the file may reach before the source waits for the reader instead. */
  maxFileBytes?: number;
  /** Where the temporary directory is made (default: the OS's, i.e. TMPDIR). */
  directory?: string;
}

export interface SpillingReadAhead<T> extends AsyncIterable<T[]> {
  /** Items that went through the file so far. */
  readonly spilledItems: number;
  /** Stops pulling when nobody will read (the source's iterator is closed, the file removed). */
  cancel(): void;
}

type Page<T> = { items: T[] } | { position: number; length: number; count: number };

/**
 * A read-ahead of pages that never makes a fast source wait for a slow consumer and
 * never holds more than about `memoryItems` of it: past that, pages are written to a
 * temporary file and read back in order. A scan's streams arrive at very different times
 * (FerretDB sorts the whole collection before its first record; S3 lists at once), so the
 * fast store is read while the join waits, instead of during the join. Pages and a
 * failure come out in the order the source produced them. A file that cannot be written
 * (disk full) turns it into a plain bounded read-ahead; the file is removed when the
 * reader ends or cancels.
 */
export function spillingReadAhead<T>(source: AsyncIterable<T[]>, options: SpillOptions<T>): SpillingReadAhead<T> {
  const maxFileBytes = options.maxFileBytes ?? 4 * 1024 ** 3;
  // A head index instead of shift(): a long queue of spilled pages is read front to back.
  const queue: Page<T>[] = [];
  let head = 0;
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

  /** Writes the page to the file; false when it cannot (the caller keeps it in memory). */
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
      queue.push({ position: file.size, length: bytes.length, count: items.length });
      file.size += bytes.length;
      spilled += items.length;
      return true;
    } catch {
      spillBroken = true;
      return false;
    }
  };

  const pump = (async () => {
    try {
      for await (const items of source) {
        if (items.length === 0) continue;
        // Once a page waits in the file, later ones queue behind it (order is kept).
        const overflowing = inMemory + items.length > options.memoryItems;
        if (!(overflowing && (await spill(items)))) {
          queue.push({ items });
          inMemory += items.length;
        }
        wake('consumer');
        // Only when the file is full or broken does the source wait for the reader.
        while (inMemory > options.memoryItems && !done) await new Promise<void>((resolve) => (wakeProducer = resolve));
        if (done) return;
      }
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      wake('consumer');
    }
  })();

  const load = async (page: Page<T>): Promise<T[]> => {
    if ('items' in page) return page.items;
    const bytes = Buffer.alloc(page.length);
    await file!.handle.read(bytes, 0, page.length, page.position);
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
          if (head < queue.length) {
            const page = queue[head];
            queue[head] = undefined as unknown as Page<T>;
            head += 1;
            const items = await load(page);
            if ('items' in page) {
              inMemory -= items.length;
              wake('producer');
            }
            yield items;
            continue;
          }
          if (done) {
            if (failure) throw failure.error;
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
