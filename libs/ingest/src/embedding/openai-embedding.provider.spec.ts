import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmbeddingError } from './embedding.provider';
import { embeddingsEndpoint, OpenAiEmbeddingProvider, OpenAiEmbeddingSettings } from './openai-embedding.provider';

interface Received {
  path: string;
  authorization?: string;
  body: { model: string; input: string[] };
}

/** A tiny OpenAI-compatible server; `plan` answers each request in turn (then the last answer again). */
async function fakeEmbeddingsServer(plan: Array<'ok' | 'reversed' | 500 | 429 | 400 | 'hang' | 'short'>) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      const step = plan[Math.min(received.length - 1, plan.length - 1)];
      if (step === 'hang') return;
      if (typeof step === 'number') {
        res.writeHead(step, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `status ${step}` } }));
        return;
      }
      const data = body.input.map((text: string, index: number) => ({
        object: 'embedding',
        index,
        embedding: Array.from({ length: step === 'short' ? 3 : 4 }, (_, k) => text.length + k),
      }));
      if (step === 'reversed') data.reverse();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe(OpenAiEmbeddingProvider.name, () => {
  let server: Awaited<ReturnType<typeof fakeEmbeddingsServer>>;
  const settings = (overrides: Partial<OpenAiEmbeddingSettings> = {}): OpenAiEmbeddingSettings => ({
    url: server.url,
    apiKey: 'sk-test',
    model: 'text-embedding-test',
    dimension: 4,
    batchSize: 2,
    maxRetries: 2,
    backoffMs: 5,
    timeoutMs: 2000,
    ...overrides,
  });

  afterEach(async () => server?.close());

  it('posts batches to /v1/embeddings with the key and model, keeping the input order', async () => {
    server = await fakeEmbeddingsServer(['reversed']);
    const sut = new OpenAiEmbeddingProvider(settings());
    const vectors = await sut.embed(['a', 'bb', 'ccc', 'dddd', 'eeeee']);
    expect(vectors.map((v) => v[0])).toEqual([1, 2, 3, 4, 5]);
    expect(server.received.map((r) => r.body.input)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(server.received.every((r) => r.path === '/v1/embeddings' && r.authorization === 'Bearer sk-test')).toBe(true);
    expect(server.received[0].body.model).toBe('text-embedding-test');
  });

  it('retries 5xx and 429 answers with backoff, then succeeds', async () => {
    server = await fakeEmbeddingsServer([500, 429, 'ok']);
    const sut = new OpenAiEmbeddingProvider(settings());
    expect(await sut.embed(['x'])).toEqual([[1, 2, 3, 4]]);
    expect(server.received).toHaveLength(3);
  });

  it('gives up after the last retry', async () => {
    server = await fakeEmbeddingsServer([500]);
    const sut = new OpenAiEmbeddingProvider(settings({ maxRetries: 1 }));
    await expect(sut.embed(['x'])).rejects.toThrow(/answered 500/);
    expect(server.received).toHaveLength(2);
  });

  it('does not retry a client error', async () => {
    server = await fakeEmbeddingsServer([400]);
    const sut = new OpenAiEmbeddingProvider(settings());
    await expect(sut.embed(['x'])).rejects.toBeInstanceOf(EmbeddingError);
    expect(server.received).toHaveLength(1);
  });

  it('times out a request that hangs, and retries it', async () => {
    server = await fakeEmbeddingsServer(['hang', 'ok']);
    const sut = new OpenAiEmbeddingProvider(settings({ timeoutMs: 150 }));
    expect(await sut.embed(['x'])).toEqual([[1, 2, 3, 4]]);
    expect(server.received).toHaveLength(2);
  });

  it('rejects vectors of the wrong dimension', async () => {
    server = await fakeEmbeddingsServer(['short']);
    const sut = new OpenAiEmbeddingProvider(settings());
    await expect(sut.embed(['x'])).rejects.toThrow(/expected 4/);
  });

  it('derives the endpoint from a base URL', () => {
    expect(embeddingsEndpoint('http://h:1')).toBe('http://h:1/v1/embeddings');
    expect(embeddingsEndpoint('http://h:1/v1/')).toBe('http://h:1/v1/embeddings');
    expect(embeddingsEndpoint('http://h:1/api/embeddings')).toBe('http://h:1/api/embeddings');
  });
});
