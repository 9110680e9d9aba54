import type { ObjectVerdict } from './object-verifier';
import { runScrubPipeline, ScrubPipelineSteps } from './scrub-pipeline';
import type { ScrubBatch, ScrubTarget } from './scrub-queue';

const target = (id: string): ScrubTarget => ({ fileId: id, userId: 'u', fileKey: `u/${id}`, sha256: 'x' });

function batch(name: string, ids: string[]): ScrubBatch {
  return { phase: 'sweep', due: ids.map(target), notCheckable: [], gone: [], cursor: name, advance: () => undefined };
}

async function* batchesOf(list: ScrubBatch[], reads: string[] = []): AsyncGenerator<ScrubBatch> {
  for (const b of list) {
    reads.push(b.cursor!);
    yield b;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hashed: ObjectVerdict = { kind: 'hashed', sha256: 'x', bytes: 1 };

/** Steps that record what happened: reads in flight, verdicts each batch was judged with, the order of records. */
function recorder(delays: Record<string, number>, verdictOf: (id: string) => ObjectVerdict = () => hashed) {
  const log = {
    inFlight: 0,
    peak: 0,
    started: [] as string[],
    finished: [] as string[],
    judged: [] as { cursor: string; got: (string | null)[] }[],
    recorded: [] as string[],
  };
  const steps: ScrubPipelineSteps<string> = {
    async hash(file) {
      log.inFlight += 1;
      log.peak = Math.max(log.peak, log.inFlight);
      log.started.push(file.fileId);
      await sleep(delays[file.fileId] ?? 1);
      log.inFlight -= 1;
      log.finished.push(file.fileId);
      return verdictOf(file.fileId);
    },
    judge(b, verdicts) {
      log.judged.push({ cursor: b.cursor!, got: Array.from(verdicts, (v, i) => (v?.kind === 'hashed' ? b.due[i].fileId : null)) });
      return Promise.resolve(b.cursor!);
    },
    async record(_b, result) {
      await sleep(2);
      log.recorded.push(result);
      return true;
    },
  };
  return { log, steps };
}

describe(runScrubPipeline.name, () => {
  it('keeps every read slot busy across batch boundaries: the next batch starts while the slowest of the last is still read', async () => {
    const { log, steps } = recorder({ a1: 200 });
    const batches = [batch('A', ['a1', 'a2', 'a3']), batch('B', ['b1', 'b2', 'b3', 'b4']), batch('C', ['c1'])];
    await runScrubPipeline(batchesOf(batches), { concurrency: 2, signal: new AbortController().signal, window: 3 }, steps);
    // a1 takes 200 ms; everything else is read by the other slot meanwhile (a mapBounded per batch would wait for a1).
    expect(log.finished.at(-1)).toBe('a1');
    expect(log.peak).toBe(2);
    expect(log.judged.map((j) => j.got)).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2', 'b3', 'b4'], ['c1']]);
    // Recorded in batch order, each once, even though B and C were read before A finished.
    expect(log.recorded).toEqual(['A', 'B', 'C']);
  });

  it('never runs more reads than the concurrency, and never more batches ahead of the recording than the window', async () => {
    const reads: string[] = [];
    let recordedCount = 0;
    let maxAhead = 0;
    const list = Array.from({ length: 8 }, (_, i) => batch(`B${i}`, [`f${i}a`, `f${i}b`]));
    const { log, steps } = recorder({});
    const slowRecord: ScrubPipelineSteps<string> = {
      ...steps,
      async record(b, result) {
        maxAhead = Math.max(maxAhead, reads.length - recordedCount);
        await sleep(15);
        recordedCount += 1;
        return steps.record(b, result);
      },
    };
    await runScrubPipeline(batchesOf(list, reads), { concurrency: 3, signal: new AbortController().signal, window: 2 }, slowRecord);
    expect(log.peak).toBeLessThanOrEqual(3);
    expect(log.recorded).toEqual(list.map((b) => b.cursor));
    // The batch being recorded, one waiting behind it, and one read ahead (prefetched) at most.
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  it('stops starting reads once one finds the store down, and judges the batches cut short with what they got', async () => {
    const { log, steps } = recorder({ a2: 20 }, (id) => (id === 'a2' ? { kind: 'unavailable', error: 's3 down' } : hashed));
    const batches = [batch('A', ['a1', 'a2', 'a3', 'a4', 'a5']), batch('B', ['b1'])];
    await runScrubPipeline(batchesOf(batches), { concurrency: 1, signal: new AbortController().signal, window: 3 }, steps);
    expect(log.started).toEqual(['a1', 'a2']);
    expect(log.judged).toEqual([{ cursor: 'A', got: ['a1', null, null, null, null] }]);
    expect(log.recorded).toEqual(['A']);
  });

  it('stops when a record says so: no batch after it is read', async () => {
    const { log, steps } = recorder({});
    const stopAfterA: ScrubPipelineSteps<string> = { ...steps, record: async (b, r) => (await steps.record(b, r), b.cursor !== 'A') };
    const batches = [batch('A', ['a1']), batch('B', ['b1']), batch('C', ['c1']), batch('D', ['d1'])];
    await runScrubPipeline(batchesOf(batches), { concurrency: 1, signal: new AbortController().signal, window: 1 }, stopAfterA);
    expect(log.recorded[0]).toBe('A');
    // With a window of one, B may be read while A is recorded; nothing later.
    expect(log.started).not.toContain('c1');
    expect(log.started).not.toContain('d1');
  });

  it('ends at the signal without waiting for a batch still being read from the stores', async () => {
    const controller = new AbortController();
    const { log, steps } = recorder({});
    async function* slowSecond(): AsyncGenerator<ScrubBatch> {
      yield batch('A', ['a1']);
      // Never answers within the test (unref'd: it must not hold the process).
      await new Promise((r) => setTimeout(r, 10_000).unref());
      yield batch('B', ['b1']);
    }
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await runScrubPipeline(slowSecond(), { concurrency: 2, signal: controller.signal, window: 3 }, steps);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(log.recorded).toEqual(['A']);
  });

  it('passes on a failure of the stores reading the next batch, after recording what was read', async () => {
    const { log, steps } = recorder({});
    async function* failing(): AsyncGenerator<ScrubBatch> {
      yield batch('A', ['a1', 'a2']);
      throw new Error('metadata down');
    }
    await expect(runScrubPipeline(failing(), { concurrency: 2, signal: new AbortController().signal, window: 3 }, steps)).rejects.toThrow('metadata down');
    expect(log.recorded).toEqual(['A']);
  });
});
