import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { chunkText } from '../chunking/chunk-text';
import type { ExtractionJob, ExtractionReply } from './extraction-job';
import { baseContentType, formatOf, readText } from './read-text';
import { declaredUncompressedBytes } from './zip-entries';

/** DOCX XML is verbose: a document's text is a fraction of its XML, so allow 8 bytes of XML per character. */
const XML_BYTES_PER_CHAR = 8;

// Runs in a worker thread (ExtractionRunner): reading and chunking never block the event loop.
async function extract(job: ExtractionJob): Promise<ExtractionReply> {
  const format = formatOf(job.contentType, job.fileName);
  if (!format) {
    return { kind: 'chunks', chunks: [], chars: 0, reason: `content type ${baseContentType(job.contentType) || '(none)'} is not embedded` };
  }
  const bytes = job.path ? await fs.promises.readFile(job.path) : Buffer.from(job.bytes ?? new Uint8Array());
  if (format === 'docx') {
    const inflated = declaredUncompressedBytes(bytes);
    if (inflated !== undefined && inflated > job.maxChars * XML_BYTES_PER_CHAR) {
      return {
        kind: 'limit',
        limit: 'EXTRACT_MAX_CHARS',
        message: `the docx file expands to ${inflated} bytes, more than EXTRACT_MAX_CHARS=${job.maxChars} characters allow`,
      };
    }
  }
  let text: string;
  try {
    text = await readText(format, bytes);
  } catch (error) {
    return { kind: 'chunks', format, chunks: [], chars: 0, reason: `could not read the ${format} file: ${(error as Error).message}` };
  }
  if (text.length > job.maxChars) {
    return { kind: 'limit', limit: 'EXTRACT_MAX_CHARS', message: `the file's text has ${text.length} characters, more than EXTRACT_MAX_CHARS=${job.maxChars}` };
  }
  // Each chunk advances at most size - overlap characters: a text that must make too many is refused unchunked.
  const atLeast = Math.ceil(Math.max(0, text.length - job.chunkSize) / (job.chunkSize - job.chunkOverlap)) + 1;
  if (atLeast > job.maxChunks) {
    return {
      kind: 'limit',
      limit: 'EXTRACT_MAX_CHUNKS',
      message: `the file's text makes at least ${atLeast} chunks, more than EXTRACT_MAX_CHUNKS=${job.maxChunks}`,
    };
  }
  const chunks = chunkText(text, { size: job.chunkSize, overlap: job.chunkOverlap });
  if (chunks.length > job.maxChunks) {
    return {
      kind: 'limit',
      limit: 'EXTRACT_MAX_CHUNKS',
      message: `the file's text makes ${chunks.length} chunks, more than EXTRACT_MAX_CHUNKS=${job.maxChunks}`,
    };
  }
  return { kind: 'chunks', format, chunks, chars: text.length, ...(chunks.length === 0 ? { reason: 'no text in the file' } : {}) };
}

// One job at a time per worker (the runner sends the next only after the answer), many per worker's life.
parentPort?.on('message', (job: ExtractionJob) => {
  extract(job).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ kind: 'error', message: (error as Error)?.message ?? String(error) } satisfies ExtractionReply),
  );
});
