import type { ObjectVerdict } from './object-verifier';
import type { ScrubBatch, ScrubTarget } from './scrub-queue';

/** What the pipeline asks of the scrubber: read one object, judge a batch, record it. */
export interface ScrubPipelineSteps<R> {
  /** Reads and hashes one target's bytes. */
  hash(target: ScrubTarget): Promise<ObjectVerdict>;
  /** What a batch's verdicts mean (undefined: never read, the run stopped first); in batch order. */
  judge(batch: ScrubBatch, verdicts: (ObjectVerdict | undefined)[]): Promise<R>;
  /** Records a judged batch, one at a time in batch order; false stops the run. */
  record(batch: ScrubBatch, result: R): Promise<boolean>;
}

export interface ScrubPipelineOptions {
  /** Objects read at once, across batch boundaries. */
  concurrency: number;
  /** The run's end (time budget, shutdown): no new read starts, the reads in flight give up. */
  signal: AbortSignal;
  /** Batches read ahead of the oldest one not yet recorded: bounds memory when the state store is slower than the reads. */
  window: number;
}

interface Slot {
  batch: ScrubBatch;
  verdicts: (ObjectVerdict | undefined)[];
  handedOut: number;
  inFlight: number;
  settled: Promise<void>;
  settle(): void;
}

const ignore = () => undefined;

/**
 * Runs the scrubber's batches as one stream of reads: `concurrency` objects are read at
 * all times, the next batch's first reads starting while the last ones of the batch before
 * are still in flight, instead of each batch waiting for its slowest object. Each batch is
 * judged and recorded once all its reads are back, in order and one at a time behind the
 * reads (the state writes overlap the next batch's reads), so a position saved after a
 * batch never skips one. The next batch is read from the stores while this one is hashed.
 * A read that finds a store down, a record that says stop, or the signal: no new read
 * starts; batches cut short are judged with what they got.
 */
export async function runScrubPipeline<R>(batches: AsyncIterator<ScrubBatch>, options: ScrubPipelineOptions, steps: ScrubPipelineSteps<R>): Promise<void> {
  const { signal } = options;
  let halted = false;
  let failure: { error: unknown } | undefined;
  let recordFailed = false;
  const fail = (error: unknown) => {
    failure ??= { error };
    halted = true;
  };
  const stopped = () => halted || signal.aborted;
  // The budget's end does not wait for a batch still being read from the stores.
  const budgetOver = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  /** Batches opened and not yet recorded (a long run holds a few at a time, not all it read). */
  const slots = new Set<Slot>();
  let current: Slot | undefined;
  let exhausted = false;
  let prefetched = batches.next();
  prefetched.catch(ignore);
  let opening: Promise<void> | undefined;
  let recorded: Promise<void> = Promise.resolve();
  const recordings: Promise<void>[] = [];

  const open = async () => {
    const behind = recordings.length >= options.window ? recordings[recordings.length - options.window] : undefined;
    if (behind) await Promise.race([behind, budgetOver]);
    const step = await Promise.race([prefetched, budgetOver]);
    if (step === 'aborted' || step.done || stopped()) {
      exhausted = true;
      return;
    }
    prefetched = batches.next();
    prefetched.catch(ignore);
    const slot = newSlot(step.value);
    slots.add(slot);
    const previous = recorded;
    recorded = (async () => {
      await slot.settled;
      await previous;
      // What was read is recorded whatever stopped the run, unless recording itself failed.
      if (recordFailed) return;
      const result = await steps.judge(slot.batch, slot.verdicts);
      if (!(await steps.record(slot.batch, result))) halted = true;
    })()
      .catch((error: unknown) => {
        recordFailed = true;
        fail(error);
      })
      .finally(() => slots.delete(slot));
    recordings.push(recorded);
    if (recordings.length > options.window) void recordings.shift();
    current = slot;
    if (slot.batch.due.length === 0) slot.settle();
  };

  const take = async (): Promise<{ slot: Slot; index: number } | null> => {
    for (;;) {
      if (stopped()) return null;
      if (current && current.handedOut < current.batch.due.length) {
        // Counted in flight as it is handed out: the batch cannot settle before this read is back.
        current.inFlight += 1;
        return { slot: current, index: current.handedOut++ };
      }
      if (exhausted) return null;
      // One worker opens the next batch; the others wait for the same one.
      opening ??= open().finally(() => (opening = undefined));
      await opening;
    }
  };

  const worker = async () => {
    for (;;) {
      const job = await take();
      if (!job) return;
      const { slot, index } = job;
      try {
        const verdict = await steps.hash(slot.batch.due[index]);
        slot.verdicts[index] = verdict;
        if (verdict.kind === 'unavailable') halted = true;
      } finally {
        slot.inFlight -= 1;
        if (slot.inFlight === 0 && slot.handedOut === slot.batch.due.length) slot.settle();
      }
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, () => worker().catch(fail)));
  // Batches cut short: what they got is judged and recorded; their unread files are left for the next run.
  for (const slot of slots) slot.settle();
  await recorded;
  // Not awaited: it would queue behind a read still in flight.
  void Promise.resolve(batches.return?.(undefined)).catch(ignore);
  if (failure) throw failure.error;
}

function newSlot(batch: ScrubBatch): Slot {
  let settle: () => void = ignore;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  return { batch, verdicts: new Array<ObjectVerdict | undefined>(batch.due.length), handedOut: 0, inFlight: 0, settled, settle };
}
