import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import {
  assertValidKey,
  NotFoundError,
  ObjectInfo,
  ObjectVersion,
  PutObjectOptions,
  sha256Hex,
  StoreError,
  StoreErrorCode,
  StoreUnavailableError,
} from '@storesync/core';
import { ListObjectsOptions, ObjectStore } from '../ports';
import { LocalDatabase } from './local-database';
import { LocalObjectIndex, NULL_VERSION, ObjectRow, StoredBody, toObjectInfo, toObjectVersion } from './local-object.index';

export interface LocalObjectSettings {
  dataDir: string;
  bucket: string;
  /** Keep old versions and delete markers, like a versioned bucket. Default false. */
  versioning?: boolean;
}

const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
// S3's bucket naming rules; they also keep the bucket a single, harmless path segment.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * ObjectStore on local disk, the embedded default. Bytes live in
 * `<dataDir>/objects/<bucket>/`, the key index in `<dataDir>/storesync.db`.
 *
 * Every stored body gets a fresh random hex name (a "blob"), never one derived from its
 * key: no key, however many `../` it holds, can name a path outside the bucket folder,
 * and a new write never overwrites a file a reader may have open.
 */
export class LocalObjectStore extends ObjectStore {
  readonly kind = 'local' as const;
  private readonly root: string;
  private readonly db: LocalDatabase;
  private readonly index: LocalObjectIndex;
  private readonly versioning: boolean;
  private closed = false;

  constructor(settings: LocalObjectSettings) {
    super();
    if (!BUCKET_NAME.test(settings.bucket) || settings.bucket.includes('..')) {
      throw new StoreError(StoreErrorCode.Invalid, 's3', `invalid bucket name ${JSON.stringify(settings.bucket)}`);
    }
    this.root = path.join(settings.dataDir, 'objects', settings.bucket);
    this.db = new LocalDatabase(path.join(settings.dataDir, 'storesync.db'), 's3');
    this.index = new LocalObjectIndex(this.db, settings.bucket);
    this.versioning = settings.versioning ?? false;
  }

  async init(): Promise<void> {
    this.assertOpen();
    await this.io(() => fs.promises.mkdir(path.join(this.root, 'tmp'), { recursive: true }));
    this.index.create();
  }

  async *listObjectPages(options: ListObjectsOptions = {}): AsyncIterable<ObjectInfo[]> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const prefix = options.prefix ?? '';
    const upper = prefixUpperBound(prefix);
    let afterKey: string | null = options.startAfter ?? null;
    for (;;) {
      // Keyset pages, each its own query: no statement or lock is held while the caller works.
      this.assertOpen();
      const rows = this.index.page(afterKey, prefix, upper, pageSize);
      if (rows.length > 0) yield rows.map(toObjectInfo);
      if (rows.length < pageSize) return;
      afterKey = rows[rows.length - 1].key;
      // Past an unwanted prefix in one step (see ListObjectsOptions.skipPrefixes).
      const skipped = options.skipPrefixes?.find((p) => afterKey!.startsWith(p));
      if (skipped !== undefined) afterKey = `${skipped}\u{10FFFF}`;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key, 's3');
    this.assertOpen();
    const row = this.index.current(key);
    return row ? toObjectInfo(row) : null;
  }

  async getStream(key: string, versionId?: string): Promise<Readable> {
    assertValidKey(key, 's3');
    // A concurrent put may replace (and unlink) the blob between lookup and open: look again once.
    for (let attempt = 0; ; attempt++) {
      this.assertOpen();
      const row = versionId === undefined ? this.index.current(key) : this.index.version(key, versionId);
      if (!row?.blob) throw new NotFoundError('s3', versionId === undefined ? key : `${key} version ${versionId}`);
      try {
        const handle = await fs.promises.open(this.blobPath(row.blob), 'r');
        return handle.createReadStream();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) throw this.ioError(error);
      }
    }
  }

  async put(key: string, body: Buffer, options: PutObjectOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key, 's3');
    this.assertOpen();
    const sha256 = sha256Hex(body);
    if (options.sha256 !== undefined && (!HEX_SHA256.test(options.sha256) || options.sha256.toLowerCase() !== sha256)) {
      // What S3 does with a wrong x-amz-checksum-sha256 (BadDigest).
      throw new StoreError(StoreErrorCode.Invalid, 's3', `checksum rejected: body does not hash to ${options.sha256}`);
    }
    const stored: StoredBody = {
      blob: await this.writeBlob((temp) => fs.promises.writeFile(temp, body)),
      size: body.length,
      sha256,
      etag: createHash('md5').update(body).digest('hex'),
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
    };
    const now = new Date();
    await this.record(() => this.index.recordPut(key, stored, this.versioning, now), stored.blob);
    return {
      key,
      size: stored.size,
      etag: stored.etag,
      lastModified: now,
      sha256,
      contentType: stored.contentType,
    };
  }

  /** Copies the staged file into a blob, hashing it on the way (no whole read into memory). */
  override async putFile(key: string, filePath: string, options: PutObjectOptions & { size: number }): Promise<ObjectInfo> {
    assertValidKey(key, 's3');
    this.assertOpen();
    const sha = createHash('sha256');
    const md5 = createHash('md5');
    let size = 0;
    try {
      for await (const chunk of fs.createReadStream(filePath)) {
        const bytes = chunk as Buffer;
        sha.update(bytes);
        md5.update(bytes);
        size += bytes.length;
      }
    } catch (error) {
      throw this.ioError(error);
    }
    const sha256 = sha.digest('hex');
    if (options.sha256 !== undefined && options.sha256.toLowerCase() !== sha256) {
      throw new StoreError(StoreErrorCode.Invalid, 's3', `checksum rejected: body does not hash to ${options.sha256}`);
    }
    const stored: StoredBody = {
      blob: await this.writeBlob((temp) => fs.promises.copyFile(filePath, temp)),
      size,
      sha256,
      etag: md5.digest('hex'),
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
    };
    const now = new Date();
    await this.record(() => this.index.recordPut(key, stored, this.versioning, now), stored.blob);
    return { key, size, etag: stored.etag, lastModified: now, sha256, contentType: stored.contentType };
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    assertValidKey(sourceKey, 's3');
    assertValidKey(targetKey, 's3');
    this.assertOpen();
    const source = this.index.current(sourceKey);
    if (!source) throw new NotFoundError('s3', sourceKey);
    await this.putCopyOf(targetKey, source);
  }

  /** The target is checked in the same synchronous index update that records the copy: no write can slip between. */
  async copyIfAbsent(sourceKey: string, targetKey: string): Promise<boolean> {
    assertValidKey(sourceKey, 's3');
    assertValidKey(targetKey, 's3');
    this.assertOpen();
    const source = this.index.current(sourceKey);
    if (!source) throw new NotFoundError('s3', sourceKey);
    if (this.index.current(targetKey)) return false;
    try {
      await this.putCopyOf(targetKey, source, true);
      return true;
    } catch (error) {
      if (error instanceof TargetTaken) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key, 's3');
    this.assertOpen();
    const released = this.index.recordDelete(key, this.versioning, new Date());
    await this.unlinkBlobs(released);
  }

  async versioningEnabled(): Promise<boolean> {
    this.assertOpen();
    return this.versioning;
  }

  async listVersions(key: string): Promise<ObjectVersion[]> {
    assertValidKey(key, 's3');
    this.assertOpen();
    const rows = this.index.versions(key);
    // As on S3: a key whose only version is the unversioned "null" one has no history.
    if (rows.every((row) => row.version_id === NULL_VERSION)) return [];
    return rows.map(toObjectVersion);
  }

  async restoreVersion(key: string, versionId: string): Promise<void> {
    assertValidKey(key, 's3');
    this.assertOpen();
    const version = this.index.version(key, versionId);
    if (!version || version.is_delete_marker === 1) throw new NotFoundError('s3', `${key} version ${versionId}`);
    await this.putCopyOf(key, version);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.run((db) => db.prepare('SELECT 1').get());
    await this.io(() => fs.promises.access(this.root, fs.constants.R_OK | fs.constants.W_OK));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.db.close();
  }

  /** Copies a stored version's bytes into a new blob and makes it the key's latest version. */
  private async putCopyOf(targetKey: string, source: ObjectRow, onlyIfAbsent = false): Promise<void> {
    const blob = await this.writeBlob((temp) => fs.promises.copyFile(this.blobPath(source.blob!), temp));
    const stored: StoredBody = {
      blob,
      size: source.size,
      sha256: source.sha256 ?? '',
      etag: source.etag ?? '',
      contentType: source.content_type ?? DEFAULT_CONTENT_TYPE,
    };
    await this.record(() => {
      if (onlyIfAbsent && this.index.current(targetKey)) throw new TargetTaken();
      return this.index.recordPut(targetKey, stored, this.versioning, new Date());
    }, blob);
  }

  /**
   * Fills a temp file, fsyncs it, renames it into place and fsyncs the folder: a blob is
   * whole or absent, even after a crash. Returns the blob's name.
   */
  private async writeBlob(fill: (temp: string) => Promise<void>): Promise<string> {
    const blob = newBlobName();
    const target = this.blobPath(blob);
    const temp = path.join(this.root, 'tmp', newBlobName());
    try {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fill(temp);
      await syncFile(temp);
      await fs.promises.rename(temp, target);
      await syncFile(path.dirname(target));
      return blob;
    } catch (error) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw this.ioError(error);
    }
  }

  /** Writes the index row after the blob; if that fails the new blob goes, the old state stays. */
  private async record(update: () => string[], newBlob: string): Promise<void> {
    let released: string[];
    try {
      released = update();
    } catch (error) {
      await this.unlinkBlobs([newBlob]);
      throw error;
    }
    await this.unlinkBlobs(released);
  }

  private async unlinkBlobs(blobs: string[]): Promise<void> {
    // Best effort: an unreferenced blob is garbage, never visible through the index.
    await Promise.all(blobs.map((blob) => fs.promises.rm(this.blobPath(blob), { force: true }).catch(() => undefined)));
  }

  private blobPath(blob: string): string {
    return path.join(this.root, blob.slice(0, 2), blob);
  }

  private async io<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.ioError(error);
    }
  }

  private ioError(error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    return new StoreUnavailableError('s3', `local object folder ${this.root}: ${(error as Error).message}`, error);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('s3', 'local object store is closed');
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function newBlobName(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The least string above every string starting with `prefix` (null: no bound), so a
 * prefix listing is a range scan. Code point order equals UTF-8 byte order.
 */
export function prefixUpperBound(prefix: string): string | null {
  const codePoints = [...prefix].map((c) => c.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()! + 1;
    if (last > 0x10ffff) continue;
    codePoints.push(last === 0xd800 ? 0xe000 : last);
    return String.fromCodePoint(...codePoints);
  }
  return null;
}

/** copyIfAbsent found the target written while it copied: the new blob is dropped. */
class TargetTaken extends Error {}
