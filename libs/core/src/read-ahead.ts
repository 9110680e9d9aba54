/**
 * Starts pulling `source` at once into a bounded queue, so a slow consumer (or one busy
 * elsewhere first) does not leave the producer idle. Items and a failure come out in
 * the order the source produced them: an error is thrown where it happened, after the
 * items before it. At most `maxItems` wait in memory.
 */
export interface ReadAhead<T> extends AsyncIterable<T> {
  /** Stops pulling when nobody will read (the source's iterator is closed). */
  cancel(): void;
}

export function readAhead<T>(source: AsyncIterable<T>, maxItems: number): ReadAhead<T> {
  // A head index instead of shift(): shifting a 20,000-item array is linear per item.
  let queue: T[] = [];
  let head = 0;
  const waiting = () => queue.length - head;
  let done = false;
  let failure: { error: unknown } | null = null;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  const signal = (which: 'consumer' | 'producer') => {
    const wake = which === 'consumer' ? wakeConsumer : wakeProducer;
    if (which === 'consumer') wakeConsumer = null;
    else wakeProducer = null;
    wake?.();
  };

  const pump = (async () => {
    try {
      for await (const item of source) {
        queue.push(item);
        signal('consumer');
        while (waiting() >= maxItems) await new Promise<void>((resolve) => (wakeProducer = resolve));
        if (done) return;
      }
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      signal('consumer');
    }
  })();

  return {
    cancel() {
      done = true;
      signal('producer');
    },
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          if (waiting() > 0) {
            const item = queue[head];
            queue[head++] = undefined as T;
            if (head >= 1024 && head * 2 >= queue.length) {
              queue = queue.slice(head);
              head = 0;
            }
            signal('producer');
            yield item;
            continue;
          }
          if (done) {
            if (failure) throw (failure as { error: unknown }).error;
            return;
          }
          await new Promise<void>((resolve) => (wakeConsumer = resolve));
        }
      } finally {
        // A consumer that stops early releases the producer (and its source).
        done = true;
        signal('producer');
        await pump.catch(() => undefined);
      }
    },
  };
}
