import { LocalObjectStore, S3ObjectStore, type S3ObjectStoreSettings } from '@storesync/storage';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteBucketCommand, DeleteObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { compareUtf8, sha256Hex, StoreErrorCode } from '@storesync/core';
import type { ListObjectsOptions, ObjectStore } from '@storesync/storage';
import { freePort } from '../support/stack';

interface ObjectStoreFixture {
  /** A store on a fresh, initialised bucket. */
  open(options: { versioning: boolean }): Promise<ObjectStore>;
  /** A store whose bucket was never created. */
  openMissingBucket(): ObjectStore;
  cleanup(): Promise<void>;
}

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

const readAll = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};

const rejectsWith = (promise: Promise<unknown>, code: StoreErrorCode) => expect(promise).rejects.toMatchObject({ code });

const keysOf = async (store: ObjectStore, options?: ListObjectsOptions) => (await collect(store.listObjects(options))).map((o) => o.key);

// 'a\u{1F600}' sorts after 'a\uFF21' in UTF-8 but before it in UTF-16 (JS `<`).
const UNICODE_KEYS = ['p/a\u{1F600}', 'p/a\uFF21', 'p/Zebra', 'p/apple', 'p/é', 'p/e\u0301', 'p/日本語/ファイル.txt', 'p/with space', 'p/plus+sign'];
const ORDER_KEYS = [...Array.from({ length: 33 }, (_, i) => `p/${String(i).padStart(2, '0')}`), ...UNICODE_KEYS];
// 1024 UTF-8 bytes in segments short enough for file-system backed servers (MinIO).
const LONGEST_KEY = `${Array.from({ length: 5 }, () => 'é'.repeat(100)).join('/')}/${'x'.repeat(19)}`;
const INVALID_KEYS = ['', 'x'.repeat(1025), 'a\uD800b'];

function objectStoreContract(name: string, fixture: () => ObjectStoreFixture): void {
  describe(`ObjectStore contract: ${name}`, () => {
    const fx = fixture();
    let sut: ObjectStore;
    let versioned: ObjectStore;

    beforeAll(async () => {
      sut = await fx.open({ versioning: false });
      versioned = await fx.open({ versioning: true });
    });
    afterAll(() => fx.cleanup());

    it('lists nothing in an empty bucket, and init is idempotent', async () => {
      await sut.init();
      expect(await keysOf(sut)).toEqual([]);
      await expect(sut.ping()).resolves.toBeUndefined();
    });

    it('round-trips put, head and getStream with the SHA-256', async () => {
      const body = Buffer.from('hello storesync\n');
      const put = await sut.put('rt/hello.txt', body, { contentType: 'text/plain' });
      expect(put).toMatchObject({ key: 'rt/hello.txt', size: body.length, sha256: sha256Hex(body) });
      const head = await sut.head('rt/hello.txt');
      expect(head).toMatchObject({ key: 'rt/hello.txt', size: body.length, sha256: sha256Hex(body), contentType: 'text/plain' });
      expect(head!.etag).toMatch(/^[^"]+$/);
      expect(Math.abs(head!.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
      expect(await readAll(await sut.getStream('rt/hello.txt'))).toEqual(body);
    });

    it('accepts a correct given SHA-256 and refuses a wrong one without storing', async () => {
      const body = randomBytes(3000);
      await sut.put('rt/given', body, { sha256: sha256Hex(body) });
      expect((await sut.head('rt/given'))!.sha256).toBe(sha256Hex(body));
      await rejectsWith(sut.put('rt/wrong', body, { sha256: sha256Hex('other') }), StoreErrorCode.Invalid);
      expect(await sut.head('rt/wrong')).toBeNull();
    });

    it('pages through every key once, in UTF-8 byte order', async () => {
      await Promise.all(ORDER_KEYS.map((key) => sut.put(key, Buffer.from(key))));
      const expected = [...ORDER_KEYS].sort(compareUtf8);
      expect(expected).not.toEqual([...ORDER_KEYS].sort()); // the case must tell the orders apart
      const listed = await collect(sut.listObjects({ prefix: 'p/', pageSize: 7 }));
      expect(listed.map((o) => o.key)).toEqual(expected);
      expect(listed.indexOf(listed.find((o) => o.key === 'p/a\u{1F600}')!)).toBeGreaterThan(listed.indexOf(listed.find((o) => o.key === 'p/a\uFF21')!));
      for (const o of listed) {
        expect(o.size).toBe(Buffer.byteLength(o.key));
        expect(o.etag).toMatch(/^[^"]+$/);
        expect(o.lastModified).toBeInstanceOf(Date);
      }
      const all = await keysOf(sut, { pageSize: 7 });
      expect(all).toEqual([...all].sort(compareUtf8));
      expect(new Set(all).size).toBe(all.length);
    });

    it('lists by prefix, including prefixes ending in astral or top characters', async () => {
      // No key is also a "folder" of another: MinIO stores both but lists only one of them.
      const keys = ['pre-a', 'pre/x', 'pre/y', 'prefix-other', 'u/\u{1F600}', 'u/\u{1F600}x', 'u/\u{1F601}', 'u/\uFFFF', 'u/\uFFFFz'];
      await Promise.all(keys.map((key) => sut.put(key, Buffer.from('k'))));
      expect(await keysOf(sut, { prefix: 'pre/' })).toEqual(['pre/x', 'pre/y']);
      expect(await keysOf(sut, { prefix: 'pre' })).toEqual(['pre-a', 'pre/x', 'pre/y', 'prefix-other']);
      expect(await keysOf(sut, { prefix: 'u/\u{1F600}', pageSize: 1 })).toEqual(['u/\u{1F600}', 'u/\u{1F600}x']);
      expect(await keysOf(sut, { prefix: 'u/\uFFFF' })).toEqual(['u/\uFFFF', 'u/\uFFFFz']);
      expect(await keysOf(sut, { prefix: 'nothing-here/' })).toEqual([]);
    });

    it('starts after a key, and jumps past a skipped prefix once a page ends inside it', async () => {
      // Under its own prefix: the bucket holds other tests' keys too.
      const files = ['sk/a/1', 'sk/a/2', 'sk/a/3', 'sk/z/1', 'sk/z/2'];
      const thumbs = Array.from({ length: 30 }, (_, i) => `sk/thumbs/${String(i).padStart(2, '0')}`);
      await Promise.all([...files, ...thumbs].map((key) => sut.put(key, Buffer.from('k'))));
      expect(await keysOf(sut, { prefix: 'sk/', startAfter: 'sk/a/2', pageSize: 50 })).toEqual(['sk/a/3', ...thumbs, 'sk/z/1', 'sk/z/2']);
      const listed = await keysOf(sut, { prefix: 'sk/', pageSize: 4, skipPrefixes: ['sk/thumbs/'] });
      expect(listed.filter((k) => !k.startsWith('sk/thumbs/'))).toEqual(files);
      // At most the page that ran into the prefix: 30 thumbnails are not read through.
      expect(listed.filter((k) => k.startsWith('sk/thumbs/')).length).toBeLessThanOrEqual(4);
    });

    it('stores unicode keys and the longest allowed key', async () => {
      for (const key of ['ü/日本語 ファイル (1).pdf', 'emoji/\u{1F600}+%20&?#', LONGEST_KEY]) {
        const body = Buffer.from(`body of ${key}`);
        await sut.put(key, body);
        expect((await sut.head(key))!.sha256).toBe(sha256Hex(body));
        expect(await readAll(await sut.getStream(key))).toEqual(body);
      }
    });

    it('copies an object with its bytes, hash and content type', async () => {
      const body = randomBytes(5000);
      await sut.put('cp/source', body, { contentType: 'application/pdf' });
      await sut.copy('cp/source', 'cp/ターゲット \u{1F600}');
      const copy = await sut.head('cp/ターゲット \u{1F600}');
      expect(copy).toMatchObject({ size: body.length, sha256: sha256Hex(body), contentType: 'application/pdf' });
      expect(await readAll(await sut.getStream('cp/ターゲット \u{1F600}'))).toEqual(body);
      expect(await sut.head('cp/source')).not.toBeNull();
      await rejectsWith(sut.copy('cp/absent', 'cp/x'), StoreErrorCode.NotFound);
    });

    it('copies only to an absent target, in one conditional write', async () => {
      await sut.put('cia/source', Buffer.from('restored bytes'));
      expect(await sut.copyIfAbsent('cia/source', 'cia/target')).toBe(true);
      expect(await readAll(await sut.getStream('cia/target'))).toEqual(Buffer.from('restored bytes'));
      await sut.put('cia/taken', Buffer.from('written back meanwhile'));
      expect(await sut.copyIfAbsent('cia/source', 'cia/taken')).toBe(false);
      expect(await readAll(await sut.getStream('cia/taken'))).toEqual(Buffer.from('written back meanwhile'));
      await rejectsWith(sut.copyIfAbsent('cia/absent', 'cia/x'), StoreErrorCode.NotFound);
    });

    it('deletes idempotently', async () => {
      await sut.put('del/one', Buffer.from('1'));
      await sut.delete('del/one');
      await sut.delete('del/one');
      await sut.delete('del/never-existed');
      expect(await sut.head('del/one')).toBeNull();
      expect(await keysOf(sut, { prefix: 'del/' })).toEqual([]);
    });

    it('answers null from head and NotFoundError from getStream for an absent key', async () => {
      expect(await sut.head('absent/key')).toBeNull();
      await rejectsWith(sut.getStream('absent/key'), StoreErrorCode.NotFound);
    });

    it.each(INVALID_KEYS.map((key) => [JSON.stringify(key).slice(0, 20), key]))('refuses the invalid key %s with InvalidKeyError', async (_label, key) => {
      for (const call of [
        () => sut.head(key),
        () => sut.getStream(key),
        () => sut.put(key, Buffer.from('x')),
        () => sut.copy(key, 'ok'),
        () => sut.copy('rt/hello.txt', key),
        () => sut.delete(key),
        () => sut.listVersions(key),
        () => sut.restoreVersion(key, 'null'),
      ]) {
        await rejectsWith(call(), StoreErrorCode.InvalidKey);
      }
    });

    it('reports versioning, and has no history on an unversioned bucket', async () => {
      expect(await sut.versioningEnabled()).toBe(false);
      expect(await versioned.versioningEnabled()).toBe(true);
      await sut.put('ver/plain', Buffer.from('1'));
      await sut.put('ver/plain', Buffer.from('2'));
      expect(await sut.listVersions('ver/plain')).toEqual([]);
    });

    it('lists versions of exactly the key newest first, and restores one', async () => {
      const v1 = Buffer.from('version one');
      const v2 = Buffer.from('version two');
      await versioned.put('ver/doc', v1);
      await versioned.put('ver/doc', v2);
      await versioned.put('ver/doc2', v2);
      const versions = await versioned.listVersions('ver/doc');
      expect(versions.map((v) => [v.key, v.size, v.isLatest, v.isDeleteMarker])).toEqual([
        ['ver/doc', v2.length, true, false],
        ['ver/doc', v1.length, false, false],
      ]);
      // A version can be read (and hashed) before anything is restored.
      expect(await readAll(await versioned.getStream('ver/doc', versions[1].versionId))).toEqual(v1);
      expect(await readAll(await versioned.getStream('ver/doc', versions[0].versionId))).toEqual(v2);
      await versioned.restoreVersion('ver/doc', versions[1].versionId);
      expect((await versioned.head('ver/doc'))!.sha256).toBe(sha256Hex(v1));
      expect(await readAll(await versioned.getStream('ver/doc'))).toEqual(v1);
      expect(await versioned.listVersions('ver/doc')).toHaveLength(3);

      await versioned.delete('ver/doc');
      expect(await versioned.head('ver/doc')).toBeNull();
      const afterDelete = await versioned.listVersions('ver/doc');
      expect(afterDelete[0]).toMatchObject({ isDeleteMarker: true, isLatest: true });
      expect(afterDelete.filter((v) => !v.isDeleteMarker)).toHaveLength(3);
      await versioned.restoreVersion('ver/doc', versions[0].versionId);
      expect(await readAll(await versioned.getStream('ver/doc'))).toEqual(v2);

      const otherKeysVersion = (await versioned.listVersions('ver/doc2'))[0].versionId;
      await rejectsWith(versioned.restoreVersion('ver/doc', otherKeysVersion), StoreErrorCode.NotFound);
    });

    it('reports a bucket that does not exist as unavailable, never as empty', async () => {
      const missing = fx.openMissingBucket();
      try {
        await rejectsWith(collect(missing.listObjects()), StoreErrorCode.Unavailable);
        await rejectsWith(missing.head('any/key'), StoreErrorCode.Unavailable);
        await rejectsWith(missing.getStream('any/key'), StoreErrorCode.Unavailable);
        await rejectsWith(missing.delete('any/key'), StoreErrorCode.Unavailable);
        await rejectsWith(missing.ping(), StoreErrorCode.Unavailable);
      } finally {
        await missing.close();
      }
    });

    it('is unavailable after close', async () => {
      const store = await fx.open({ versioning: false });
      await store.put('closing/a', Buffer.from('a'));
      await store.close();
      await rejectsWith(collect(store.listObjects()), StoreErrorCode.Unavailable);
      await rejectsWith(store.head('closing/a'), StoreErrorCode.Unavailable);
      await rejectsWith(store.getStream('closing/a'), StoreErrorCode.Unavailable);
      await rejectsWith(store.put('closing/b', Buffer.from('b')), StoreErrorCode.Unavailable);
      await rejectsWith(store.delete('closing/a'), StoreErrorCode.Unavailable);
      await rejectsWith(store.versioningEnabled(), StoreErrorCode.Unavailable);
      await rejectsWith(store.ping(), StoreErrorCode.Unavailable);
    });
  });
}

const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

function localFixture(): ObjectStoreFixture {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-objects-'));
  const stores: ObjectStore[] = [];
  let n = 0;
  return {
    async open({ versioning }) {
      const store = new LocalObjectStore({ dataDir, bucket: `bucket-${n++}`, versioning });
      stores.push(store);
      await store.init();
      return store;
    },
    openMissingBucket: () => new LocalObjectStore({ dataDir, bucket: 'never-created' }),
    async cleanup() {
      await Promise.all(stores.map((s) => s.close()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function s3Settings(bucket: string, overrides: Partial<S3ObjectStoreSettings> = {}): S3ObjectStoreSettings {
  return {
    endpoint: process.env.S3_ENDPOINT,
    region: process.env.S3_REGION ?? 'us-east-1',
    accessKeyId: process.env.S3_ACCESS_KEY_ID,
    secretAccessKey: process.env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: true,
    bucket,
    timeoutMs: 5000,
    ...overrides,
  };
}

function s3Fixture(): ObjectStoreFixture {
  const buckets: string[] = [];
  const stores: ObjectStore[] = [];
  const admin = () => {
    const s = s3Settings('');
    return new S3Client({
      endpoint: s.endpoint,
      region: s.region,
      forcePathStyle: true,
      credentials: s.accessKeyId ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey! } : undefined,
    });
  };
  return {
    async open({ versioning }) {
      const bucket = `storesync-contract-${runId}-${buckets.length}`;
      buckets.push(bucket);
      const store = new S3ObjectStore(s3Settings(bucket));
      stores.push(store);
      await store.init();
      if (versioning) {
        const client = admin();
        await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
        client.destroy();
      }
      return store;
    },
    openMissingBucket: () => new S3ObjectStore(s3Settings(`storesync-missing-${runId}`)),
    async cleanup() {
      await Promise.all(stores.map((s) => s.close()));
      const client = admin();
      for (const bucket of buckets) {
        for (let round = 0; round < 50; round++) {
          // URL-encoded: XML cannot carry keys such as 'u/\uFFFF'.
          const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, EncodingType: 'url' }));
          const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
            Key: decodeURIComponent(v.Key!.replace(/\+/g, ' ')),
            VersionId: v.VersionId,
          }));
          if (objects.length === 0) break;
          // One by one: DeleteObjects sends the keys in XML.
          await Promise.all(objects.map((o) => client.send(new DeleteObjectCommand({ Bucket: bucket, ...o }))));
        }
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      }
      client.destroy();
    },
  };
}

objectStoreContract('LocalObjectStore', localFixture);
objectStoreContract('S3ObjectStore', s3Fixture);

describe(`${S3ObjectStore.name} unreachable`, () => {
  it('fails fast with StoreUnavailableError when nothing listens on the port', async () => {
    const port = await freePort();
    const sut = new S3ObjectStore(s3Settings('any-bucket', { endpoint: `http://127.0.0.1:${port}`, timeoutMs: 1000 }));
    const started = Date.now();
    await rejectsWith(collect(sut.listObjects()), StoreErrorCode.Unavailable);
    await rejectsWith(sut.head('a/key'), StoreErrorCode.Unavailable);
    expect(Date.now() - started).toBeLessThan(5000);
    await sut.close();
  });

  it('times out after timeoutMs when the server accepts but never answers', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const sut = new S3ObjectStore(s3Settings('any-bucket', { endpoint: `http://127.0.0.1:${port}`, timeoutMs: 500 }));
    const started = Date.now();
    try {
      await rejectsWith(sut.head('a/key'), StoreErrorCode.Unavailable);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await sut.close();
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe(`${S3ObjectStore.name} bucket removed while in use`, () => {
  it('calls an absent key missing while the bucket is there, and an outage once the bucket is gone', async () => {
    const bucket = `storesync-removed-${runId}`;
    const s = s3Settings(bucket);
    const admin = new S3Client({
      endpoint: s.endpoint,
      region: s.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s.accessKeyId!, secretAccessKey: s.secretAccessKey! },
    });
    const sut = new S3ObjectStore(s);
    try {
      await sut.init();
      expect(await sut.head('absent/key')).toBeNull();
      await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
      // 404s share a bucket check for a second (a scan confirms thousands of absent keys);
      // past it a missing bucket is an outage again, never an empty store.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await rejectsWith(sut.head('absent/key'), StoreErrorCode.Unavailable);
    } finally {
      await sut.close();
      admin.destroy();
    }
  });
});

describe(`${LocalObjectStore.name} on disk`, () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-local-objects-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const filesUnder = (dir: string): string[] =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));

  it('keeps keys like ../../etc/passwd inside the bucket folder', async () => {
    const dataDir = path.join(root, 'deep', 'data');
    const sut = new LocalObjectStore({ dataDir, bucket: 'files' });
    await sut.init();
    for (const key of ['../../etc/passwd', '../../../../../../tmp/escape', '/abs/path', '..\\..\\win']) {
      await sut.put(key, Buffer.from(key));
      expect(await readAll(await sut.getStream(key))).toEqual(Buffer.from(key));
    }
    const bucketDir = path.join(dataDir, 'objects', 'files');
    for (const file of filesUnder(root)) {
      expect(file.startsWith(bucketDir + path.sep) || path.dirname(file) === dataDir).toBe(true);
    }
    expect(fs.readdirSync(root)).toEqual(['deep']);
    await sut.close();
  });

  it('keeps objects across reopen and removes replaced bytes', async () => {
    const first = new LocalObjectStore({ dataDir: root, bucket: 'files' });
    await first.init();
    await first.put('a', Buffer.from('one'));
    await first.put('a', Buffer.from('two'));
    await first.close();
    const sut = new LocalObjectStore({ dataDir: root, bucket: 'files' });
    await sut.init();
    expect(await readAll(await sut.getStream('a'))).toEqual(Buffer.from('two'));
    expect(filesUnder(path.join(root, 'objects', 'files'))).toHaveLength(1);
    await sut.close();
  });

  it('refuses a bucket name that is not a single safe folder name', () => {
    expect(() => new LocalObjectStore({ dataDir: root, bucket: '../x' })).toThrow(/invalid bucket/);
  });
});
