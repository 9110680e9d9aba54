import { ExtractionLimitError } from '../ingest.errors';
import { DEFAULT_INGEST_OPTIONS } from '../ingest.options';
import { ExtractionRunner } from './extraction-runner';

const text = (s: string) => ({ bytes: Buffer.from(s) });

describe('ExtractionRunner', () => {
  let runner: ExtractionRunner;
  afterEach(() => runner.onModuleDestroy());

  it('keeps its workers for the next files instead of starting one per file', async () => {
    runner = new ExtractionRunner({ ...DEFAULT_INGEST_OPTIONS });
    for (let i = 0; i < 6; i++) {
      const out = await runner.extract(text(`file ${i}: ${'words '.repeat(300)}`), 'text/plain', `f${i}.txt`);
      expect(out.chunks.length).toBeGreaterThan(1);
      expect(out.chunks[0]).toContain(`file ${i}:`);
    }
    expect(runner.workersStarted).toBe(1);
    // Two at once use two workers, both kept.
    await Promise.all([runner.extract(text('a '.repeat(50)), 'text/plain'), runner.extract(text('b '.repeat(50)), 'text/plain')]);
    await Promise.all([runner.extract(text('c '.repeat(50)), 'text/plain'), runner.extract(text('d '.repeat(50)), 'text/plain')]);
    expect(runner.workersStarted).toBe(2);
  });

  it('drops a worker that ran out of time, and the next file gets a fresh one that answers', async () => {
    // The runner reads its options per file: a worker's start-up is not timed, only the big file is.
    const options = { ...DEFAULT_INGEST_OPTIONS, extractTimeoutMs: 20_000, extractMaxChars: 1e9, extractMaxChunks: 1e7 };
    runner = new ExtractionRunner(options);
    await runner.extract(text('warm up'), 'text/plain');
    options.extractTimeoutMs = 150;
    const huge = Buffer.alloc(40_000_000, 'word ');
    await expect(runner.extract({ bytes: huge }, 'text/plain')).rejects.toBeInstanceOf(ExtractionLimitError);
    options.extractTimeoutMs = 20_000;
    const next = await runner.extract(text('after the timeout'), 'text/plain');
    expect(next.chunks).toEqual(['after the timeout']);
    expect(runner.workersStarted).toBe(2);
  });

  it('reports a file it cannot read as a reason, and the worker stays usable', async () => {
    runner = new ExtractionRunner({ ...DEFAULT_INGEST_OPTIONS });
    const broken = await runner.extract(
      { bytes: Buffer.from('not a zip') },
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'x.docx',
    );
    expect(broken.chunks).toEqual([]);
    expect(broken.reason).toMatch(/could not read the docx file/);
    expect((await runner.extract(text('fine'), 'text/plain')).chunks).toEqual(['fine']);
    expect(runner.workersStarted).toBe(1);
  });
});
