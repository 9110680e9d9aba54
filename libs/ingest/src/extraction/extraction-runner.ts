import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger } from '@nestjs/common';
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
 * Runs extraction and chunking in a worker thread per file, with caps on characters,
 * chunks, time and memory (ExtractionLimitError names the one hit), so a docx bomb or a
 * huge text neither blocks the event loop nor exhausts the process.
 */
@Injectable()
export class ExtractionRunner {
  private readonly logger = new Logger(ExtractionRunner.name);
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(INGEST_OPTIONS) private readonly options: IngestOptions) {}

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

  private runWorker(job: ExtractionJob): Promise<ExtractionReply> {
    const { extractTimeoutMs: timeoutMs, extractMemoryMb: memoryMb } = this.options;
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerEntry(), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32 } });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => {
        settle(() => reject(new ExtractionLimitError('EXTRACT_TIMEOUT_MS', `extraction took longer than EXTRACT_TIMEOUT_MS=${timeoutMs}`)));
        void worker.terminate();
      }, timeoutMs);
      worker.once('message', (reply: ExtractionReply) => settle(() => resolve(reply)));
      worker.once('error', (error: Error & { code?: string }) =>
        settle(() =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new ExtractionLimitError('EXTRACT_MEMORY', `extraction needed more than ${memoryMb} MB of memory`)
              : error,
          ),
        ),
      );
      worker.once('exit', (code) => settle(() => reject(new Error(`extraction worker stopped (exit ${code}) without an answer`))));
    });
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
