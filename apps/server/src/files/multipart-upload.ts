import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { StagedFile } from '@storesync/ingest';
import busboy from 'busboy';
import type { Request } from 'express';

/** The fields an upload may carry; anything else is refused by name. */
const TEXT_FIELDS = new Set(['user_id']);
const FILE_FIELD = 'file';
/** Multipart framing allowed beyond the file itself (boundaries, part headers, user_id). */
const ENVELOPE_BYTES = 64 * 1024;
const FIELD_VALUE_BYTES = 1024;

export interface ParsedUpload {
  fields: Record<string, string>;
  file?: StagedFile & { fileName: string; contentType: string };
  /** Removes the staged file; call when the upload is done with it. */
  discard(): Promise<void>;
}

const tooLarge = (message: string, limit: string, code: 'limit_exceeded' | 'payload_too_large' = 'limit_exceeded') =>
  new PayloadTooLargeException({ statusCode: 413, error: 'Payload Too Large', code, message, limit });

/**
 * Streams a multipart upload to a temp file, hashing and counting it on the way, within
 * limits on fields, parts, files, field sizes and the total size. Nothing of the file is
 * kept in memory. Unknown fields are a 400 naming the field; any limit a 413 naming it.
 */
export async function readMultipartUpload(req: Request, maxFileBytes: number): Promise<ParsedUpload> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxFileBytes + ENVELOPE_BYTES) {
    refuseRest(req, 16 * ENVELOPE_BYTES);
    throw tooLarge(
      `request body of ${declared} bytes is larger than the upload limit of ${maxFileBytes} bytes (MAX_UPLOAD_BYTES)`,
      'MAX_UPLOAD_BYTES',
      'payload_too_large',
    );
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'storesync-upload-'));
  const discard = () => fs.promises.rm(dir, { recursive: true, force: true });
  try {
    const parsed = await parse(req, dir, maxFileBytes);
    return { ...parsed, discard };
  } catch (error) {
    await discard();
    refuseRest(req, maxFileBytes + ENVELOPE_BYTES);
    throw error;
  }
}

function parse(req: Request, dir: string, maxFileBytes: number): Promise<Omit<ParsedUpload, 'discard'>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        // busboy signals `parts` on reaching the count at a boundary, so one more than the parts allowed.
        // and it calls a file of exactly `fileSize` bytes truncated: the file may be one byte longer, refused there.
        limits: {
          fields: TEXT_FIELDS.size + 1,
          files: 1,
          parts: TEXT_FIELDS.size + 2,
          fieldSize: FIELD_VALUE_BYTES,
          fieldNameSize: 100,
          fileSize: maxFileBytes + 1,
          headerPairs: 20,
        },
      });
    } catch {
      reject(new BadRequestException({ statusCode: 400, error: 'Bad Request', code: 'invalid_multipart', message: 'multipart body has no boundary' }));
      return;
    }
    const fields: Record<string, string> = {};
    let file: ParsedUpload['file'];
    let writing: Promise<void> | undefined;
    let failed = false;
    const fail = (error: HttpException) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      reject(error);
    };

    parser.on('field', (name, value, info) => {
      if (!TEXT_FIELDS.has(name)) return fail(unknownField(name));
      if (name in fields) return fail(fieldError(name, `multipart field ${name} is given more than once`, 'duplicate_field'));
      if (info.valueTruncated) return fail(tooLarge(`multipart field ${name} is longer than ${FIELD_VALUE_BYTES} bytes`, 'field_size'));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== FILE_FIELD) {
        stream.resume();
        return fail(unknownField(name));
      }
      const target = path.join(dir, 'upload');
      const sha = createHash('sha256');
      let size = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          sha.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      stream.on('limit', () =>
        fail(tooLarge(`file is larger than the upload limit of ${maxFileBytes} bytes (MAX_UPLOAD_BYTES)`, 'MAX_UPLOAD_BYTES', 'payload_too_large')),
      );
      writing = pipeline(stream, measure, fs.createWriteStream(target)).then(() => {
        file = { path: target, size, sha256: sha.digest('hex'), fileName: info.filename ?? 'file', contentType: info.mimeType };
      });
      writing.catch(() => undefined);
    });
    parser.on('fieldsLimit', () => fail(tooLarge(`multipart body has more than ${TEXT_FIELDS.size} text fields`, 'fields')));
    parser.on('filesLimit', () => fail(tooLarge('multipart body has more than one file', 'files')));
    parser.on('partsLimit', () => fail(tooLarge(`multipart body has more than ${TEXT_FIELDS.size + 1} parts (user_id and file)`, 'parts')));
    parser.on('error', () =>
      fail(new BadRequestException({ statusCode: 400, error: 'Bad Request', code: 'invalid_multipart', message: 'multipart body is malformed' })),
    );
    parser.on('close', () => {
      if (failed) return;
      (writing ?? Promise.resolve()).then(
        () => (failed ? undefined : resolve({ fields, file })),
        () => fail(new BadRequestException({ statusCode: 400, error: 'Bad Request', code: 'invalid_multipart', message: 'the file part ended early' })),
      );
    });
    req.on('aborted', () =>
      fail(new BadRequestException({ statusCode: 400, error: 'Bad Request', code: 'invalid_multipart', message: 'upload aborted by the client' })),
    );
    req.pipe(parser);
  });
}

function unknownField(name: string): BadRequestException {
  return fieldError(name, `unknown multipart field ${JSON.stringify(name.slice(0, 100))} (allowed: user_id, file)`, 'unknown_field');
}

function fieldError(name: string, message: string, code: string): BadRequestException {
  const field = name.slice(0, 100);
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', code, message, fields: [{ field, message }] });
}

/**
 * After a refusal the rest of the body is read and dropped (so the client gets the answer
 * instead of a reset), but never more than the upload limit: past it the socket is closed.
 */
function refuseRest(req: Request, maxBytes: number): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > maxBytes) req.destroy();
  });
  req.resume();
}
