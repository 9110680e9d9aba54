import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ExtractionLimitError } from '../ingest.errors';
import { INGEST_OPTIONS, IngestOptions } from '../ingest.options';
import type { ExtractionJob, ExtractionReply } from './extraction-job';
import type { TextFormat } from './read-text';

/** A file's text as chunks, read in a worker thread. */
export interface ExtractedChunks {
  format?: TextFormat;
  chunks: string[];
  /** Why there are no chunks: type not read, no text, unreadable file. */
  reason?: string;
}

/** Where the bytes are: a staged upload on disk, or bytes already read (a re-embed). */
export type ExtractionSource = { path: string } | { bytes: Buffer };

/** Extractions at once: each worker may hold a file and its text. */
const MAX_CONCURRENT = 2;

/**
 * Runs extraction and chunking in worker threads, one file at a time each, with caps on
 * characters, chunks, time and memory (ExtractionLimitError names the one hit), so a
 * docx bomb or a huge text neither blocks the event loop nor exhausts the process.
 * Workers are kept for the next file: starting one (a V8 isolate and the extraction
 * code) costs more than reading a small file. A worker that ran out of time is
 * terminated, one that ran out of memory or failed is gone; the next file gets a new one.
 */
@Injectable()
export class ExtractionRunner implements OnModuleDestroy {
  private readonly logger = new Logger(ExtractionRunner.name);
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idle: Worker[] = [];
  private closed = false;
  private started = 0;

  constructor(@Inject(INGEST_OPTIONS) private readonly options: IngestOptions) {}

  /** Worker threads started so far (each kept for the files after it while it stays healthy). */
  get workersStarted(): number {
    return this.started;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate()));
  }

  async extract(source: ExtractionSource, contentType: string | undefined, fileName?: string): Promise<ExtractedChunks> {
    await this.acquire();
    try {
      const job: ExtractionJob = {
        ...('path' in source ? { path: source.path } : { bytes: source.bytes }),
        contentType,
        fileName,
        maxChars: this.options.extractMaxChars,
        maxChunks: this.options.extractMaxChunks,
        chunkSize: this.options.chunkSize,
        chunkOverlap: this.options.chunkOverlap,
      };
      const reply = await this.runWorker(job);
      if (reply.kind === 'limit') {
        this.logger.warn({ message: 'extraction refused', fileName, limit: reply.limit, detail: reply.message });
        throw new ExtractionLimitError(reply.limit, reply.message);
      }
      return { format: reply.format, chunks: reply.chunks, ...(reply.reason ? { reason: reply.reason } : {}) };
    } finally {
      this.release();
    }
  }

  private runWorker(job: ExtractionJob): Promise<Exclude<ExtractionReply, { kind: 'error' }>> {
    const { extractTimeoutMs: timeoutMs, extractMemoryMb: memoryMb } = this.options;
    const worker = this.idle.pop() ?? this.startWorker(memoryMb);
    worker.ref();
    return new Promise<Exclude<ExtractionReply, { kind: 'error' }>>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void, reusable: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (reusable && !this.closed) {
          // An idle worker must not keep the process alive.
          worker.unref();
          this.idle.push(worker);
        } else {
          void worker.terminate();
        }
        fn();
      };
      const timer = setTimeout(() => {
        settle(() => reject(new ExtractionLimitError('EXTRACT_TIMEOUT_MS', `extraction took longer than EXTRACT_TIMEOUT_MS=${timeoutMs}`)), false);
      }, timeoutMs);
      const onMessage = (reply: ExtractionReply) =>
        settle(() => (reply.kind === 'error' ? reject(new Error(reply.message)) : resolve(reply)), reply.kind !== 'error');
      const onError = (error: Error & { code?: string }) =>
        settle(
          () =>
            reject(
              error.code === 'ERR_WORKER_OUT_OF_MEMORY'
                ? new ExtractionLimitError('EXTRACT_MEMORY', `extraction needed more than ${memoryMb} MB of memory`)
                : error,
            ),
          false,
        );
      const onExit = (code: number) => settle(() => reject(new Error(`extraction worker stopped (exit ${code}) without an answer`)), false);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage(job);
    });
  }

  private startWorker(memoryMb: number): Worker {
    this.started++;
    return new Worker(workerEntry(), { resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32 } });
  }

  private async acquire(): Promise<void> {
    if (this.running < MAX_CONCURRENT) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

let entry: string | undefined;

/**
 * The worker's script: the compiled extraction.worker.js beside this file (dist/), or, in
 * a source checkout (jest runs the TypeScript), a bundle of it made once with esbuild
 * (a dev dependency) into node_modules/.cache, where its own imports still resolve.
 */
function workerEntry(): string {
  if (entry) return entry;
  const compiled = path.join(__dirname, 'extraction.worker.js');
  if (fs.existsSync(compiled)) return (entry = compiled);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const built = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'extraction.worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    external: ['mammoth', 'unpdf'],
    write: false,
  });
  const code = built.outputFiles[0].text;
  const cacheDir = path.join(nodeModulesAbove(__dirname), '.cache', 'storesync');
  const file = path.join(cacheDir, `extraction-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, file);
  }
  return (entry = file);
}

function nodeModulesAbove(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('no node_modules above the extraction runner');
  }
}
