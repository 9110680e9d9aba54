import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { docxBomb, minimalDocx } from '../../libs/ingest/src/extraction/document-fixtures';
import { startTestServer, TestServer } from '../support/server';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A multipart body written by hand, for shapes supertest will not send. */
function multipart(parts: { name: string; value?: string; file?: { name: string; type: string; data: Buffer } }[]) {
  const boundary = 'x-storesync-test-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file ? `form-data; name="${part.name}"; filename="${part.file.name}"` : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.file ? `Content-Type: ${part.file.type}\r\n` : ''}\r\n`));
    chunks.push(part.file ? part.file.data : Buffer.from(part.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * GET /api/health every 20 ms until stopped; each answer's latency in ms. Speed targets are
 * the bench's (--only=upload); here: answers arrive while the upload runs, and none stalls for
 * seconds (a 20 MB text used to stall health 10 s, a docx bomb the whole loop 43 s).
 */
const STALL_MS = 3000;

function probeHealth(url: string): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        http
          .get(`${url}/api/health`, (res) => {
            res.resume();
            res.on('end', () => resolve());
          })
          .on('error', () => resolve());
      });
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

/** curl in its own process, so the client's work does not share the server's event loop. */
function curlUpload(url: string, token: string, file: string, type: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', [
      '-s',
      '-o',
      '-',
      '-w',
      '\n%{http_code}',
      '-H',
      `Authorization: Bearer ${token}`,
      '-F',
      'user_id=big',
      '-F',
      `file=@${file};type=${type}`,
      `${url}/api/files`,
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const lines = out.trimEnd().split('\n');
      resolve({ status: Number(lines.pop()), body: lines.join('\n') });
    });
  });
}

describe('uploads: streamed, bounded, extraction off the main thread', () => {
  const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
  let server: TestServer;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });
  const fileCount = () => server.stores.metadata.count({});
  const send = (body: { body: Buffer; type: string }) => request(server.url).post('/api/files').set(auth()).set('Content-Type', body.type).send(body.body);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-uploads-'));

  beforeAll(async () => {
    server = await startTestServer({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), EXTRACT_MAX_CHARS: '200000', EXTRACT_MAX_CHUNKS: '100' });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown multipart field with 400 naming it, and stores nothing', async () => {
    const before = await fileCount();
    const res = await send(
      multipart([
        { name: 'user_id', value: 'alice' },
        { name: 'role', value: 'admin' },
        { name: 'file', file: { name: 'a.txt', type: 'text/plain', data: Buffer.from('hi') } },
      ]),
    ).expect(400);
    expect(res.body).toMatchObject({ code: 'unknown_field', fields: [{ field: 'role' }], message: expect.stringContaining('"role"') });
    const misnamed = await send(
      multipart([
        { name: 'user_id', value: 'alice' },
        { name: 'upload', file: { name: 'a.txt', type: 'text/plain', data: Buffer.from('hi') } },
      ]),
    ).expect(400);
    expect(misnamed.body.fields).toEqual([{ field: 'upload', message: expect.stringContaining('unknown multipart field') }]);
    expect(await fileCount()).toBe(before);
  });

  it('refuses 300 fields at the first one it does not take (was accepted)', async () => {
    const before = await fileCount();
    const distinct = Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, value: 'x'.repeat(1000) }));
    const res = await send(multipart([{ name: 'user_id', value: 'alice' }, ...distinct])).expect(400);
    expect(res.body).toMatchObject({ code: 'unknown_field', fields: [{ field: 'f0' }] });
    const repeated = Array.from({ length: 300 }, () => ({ name: 'user_id', value: 'alice' }));
    const again = await send(multipart(repeated)).expect(400);
    expect(again.body).toMatchObject({ code: 'duplicate_field', fields: [{ field: 'user_id' }] });
    expect(await fileCount()).toBe(before);
  });

  it('refuses a second file with 413', async () => {
    const file = { name: 'a.txt', type: 'text/plain', data: Buffer.from('hi') };
    const res = await send(
      multipart([
        { name: 'user_id', value: 'alice' },
        { name: 'file', file },
        { name: 'file', file },
      ]),
    ).expect(413);
    expect(res.body.code).toBe('limit_exceeded');
    expect(['files', 'parts']).toContain(res.body.limit);
  });

  it('refuses an over-long field value with 413 naming the field', async () => {
    const res = await send(multipart([{ name: 'user_id', value: 'a'.repeat(5000) }])).expect(413);
    expect(res.body).toMatchObject({ code: 'limit_exceeded', limit: 'field_size', message: expect.stringContaining('user_id') });
  });

  it('refuses a file over MAX_UPLOAD_BYTES with 413 naming the setting, and stores nothing', async () => {
    const before = await fileCount();
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 'a');
    const res = await send(
      multipart([
        { name: 'user_id', value: 'alice' },
        { name: 'file', file: { name: 'big.bin', type: 'application/octet-stream', data: big } },
      ]),
    ).expect(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large', limit: 'MAX_UPLOAD_BYTES', message: expect.stringContaining(String(MAX_UPLOAD_BYTES)) });
    expect(await fileCount()).toBe(before);
  });

  it('refuses a declared body far over the limit before reading it', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${server.url}/api/files`, {
        method: 'POST',
        headers: { ...auth(), 'Content-Type': 'multipart/form-data; boundary=b', 'Content-Length': String(315 * 1024 * 1024) },
      });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024, 'a'));
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'payload_too_large', limit: 'MAX_UPLOAD_BYTES' });
  });

  it('refuses a text over EXTRACT_MAX_CHARS with 422 naming the limit, and stores nothing', async () => {
    const before = await fileCount();
    const res = await request(server.url)
      .post('/api/files')
      .set(auth())
      .field('user_id', 'alice')
      .attach('file', Buffer.alloc(300_000, 'word '), { filename: 'huge.txt', contentType: 'text/plain' })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'extraction_limit', limit: 'EXTRACT_MAX_CHARS', message: expect.stringContaining('EXTRACT_MAX_CHARS=200000') });
    expect(await fileCount()).toBe(before);
    expect(await server.stores.objects.listObjectPages()[Symbol.asyncIterator]().next()).toMatchObject({ done: true });
  });

  it('refuses a text that makes more than EXTRACT_MAX_CHUNKS chunks with 422', async () => {
    const res = await request(server.url)
      .post('/api/files')
      .set(auth())
      .field('user_id', 'alice')
      .attach('file', Buffer.alloc(190_000, 'word '), { filename: 'long.md', contentType: 'text/markdown' })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'extraction_limit', limit: 'EXTRACT_MAX_CHUNKS' });
  });

  it('refuses a docx bomb with 422 and keeps /api/health answering meanwhile', async () => {
    const bomb = docxBomb(120 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const probe = probeHealth(server.url);
    const res = await request(server.url)
      .post('/api/files')
      .set(auth())
      .field('user_id', 'alice')
      .attach('file', bomb, { filename: 'bomb.docx', contentType: DOCX });
    const latencies = await probe.stop();
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'extraction_limit', limit: 'EXTRACT_MAX_CHARS', message: expect.stringContaining('docx') });
    expect(latencies.length).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeLessThan(STALL_MS);
  });

  it('still stores and embeds an ordinary docx and text under the caps', async () => {
    const res = await request(server.url)
      .post('/api/files')
      .set(auth())
      .field('user_id', 'alice')
      .attach('file', Buffer.from('a small note about caps'), { filename: 'note.txt', contentType: 'text/plain' })
      .expect(201);
    expect(res.body).toMatchObject({ embedded: true, chunks: 1, steps: { metadata: 'done', object: 'done', vectors: 'done', embedding: 'done' } });
    const docx = await request(server.url)
      .post('/api/files')
      .set(auth())
      .field('user_id', 'alice')
      .attach('file', minimalDocx('Quarterly figures'), { filename: 'q.docx', contentType: DOCX })
      .expect(201);
    expect(docx.body).toMatchObject({ embedded: true, chunks: 1 });
    expect(await server.stores.vectors.getFilePoints(docx.body.file_id)).toHaveLength(1);
  });

  it('streams the largest allowed file to the stores while the event loop stays free and /api/health keeps answering', async () => {
    const file = path.join(dir, 'largest.bin');
    fs.writeFileSync(file, Buffer.alloc(MAX_UPLOAD_BYTES, 7));
    // The server runs in this process: its event loop is this one.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const probe = probeHealth(server.url);
    const res = await curlUpload(server.url, server.token, file, 'application/octet-stream');
    const latencies = await probe.stop();
    loop.disable();
    process.stdout.write(
      `upload of ${MAX_UPLOAD_BYTES} bytes: loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, health max ${Math.max(...latencies).toFixed(0)} ms over ${latencies.length}\n`,
    );
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ file_size: MAX_UPLOAD_BYTES, steps: { object: 'done' } });
    const stored = await server.stores.objects.head(JSON.parse(res.body).file_key);
    expect(stored?.size).toBe(MAX_UPLOAD_BYTES);
    // Health was answered while the upload ran, and the loop never stalled for seconds.
    expect(latencies.length).toBeGreaterThan(2);
    expect(loop.max / 1e6).toBeLessThan(STALL_MS);
    expect(Math.max(...latencies)).toBeLessThan(STALL_MS);
  });
});

describe('extraction time cap', () => {
  it('stops an extraction past EXTRACT_TIMEOUT_MS with 422 naming it, and the event loop stays free', async () => {
    // Caps high enough that only time stops mammoth on ~60 MB of XML.
    const server = await startTestServer({ EXTRACT_MAX_CHARS: '1000000000', EXTRACT_MAX_CHUNKS: '1000000', EXTRACT_TIMEOUT_MS: '300' });
    try {
      const bomb = docxBomb(60 * 1024 * 1024);
      const probe = probeHealth(server.url);
      const res = await request(server.url)
        .post('/api/files')
        .set('Authorization', `Bearer ${server.token}`)
        .field('user_id', 'alice')
        .attach('file', bomb, { filename: 'slow.docx', contentType: DOCX });
      const latencies = await probe.stop();
      expect(res.status).toBe(422);
      expect(['EXTRACT_TIMEOUT_MS', 'EXTRACT_MEMORY']).toContain(res.body.limit);
      expect(await server.stores.metadata.count({})).toBe(0);
      expect(latencies.length).toBeGreaterThan(0);
      expect(Math.max(...latencies)).toBeLessThan(STALL_MS);
    } finally {
      await server.close();
    }
  });
});
