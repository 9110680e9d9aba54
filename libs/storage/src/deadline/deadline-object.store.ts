import type { Readable } from 'node:stream';
import type { ObjectInfo, ObjectVersion, PutObjectOptions } from '@storesync/core';
import { ListObjectsOptions, ObjectStore } from '../ports/object.store';
import { DeadlineRunner } from './deadline-runner';

// Slowest transfer still waited for (1 MB/s): an upload's deadline grows with its size.
const MIN_BYTES_PER_MS = 1000;
// A transfer of unknown size may take this long while the store answers pings.
const LONGEST_TRANSFER_MS = 10 * 60_000;

/**
 * The ObjectStore every caller gets: each call of the adapter inside has a deadline of
 * STORE_TIMEOUT_MS, the client's retries included (DESIGN.md safety rule 9); listings
 * have one per page and object reads one per chunk.
 */
export class DeadlineObjectStore extends ObjectStore {
  readonly kind: ObjectStore['kind'];
  private readonly runner: DeadlineRunner;

  constructor(
    private readonly inner: ObjectStore,
    private readonly timeoutMs: number,
  ) {
    super();
    this.kind = inner.kind;
    this.runner = new DeadlineRunner('s3', timeoutMs, () => inner.ping());
  }

  private call<T>(operation: string, work: () => Promise<T>, requests = 1): Promise<T> {
    return this.runner.call(operation, work, this.timeoutMs * requests);
  }

  init(): Promise<void> {
    return this.call('create bucket', () => this.inner.init(), 2);
  }

  listObjectPages(options?: ListObjectsOptions): AsyncIterable<ObjectInfo[]> {
    return this.runner.pages('list objects', () => this.inner.listObjectPages(options));
  }

  // A HEAD that answers 404 asks for the bucket too (a wrong bucket is an outage, not a missing file).
  head(key: string): Promise<ObjectInfo | null> {
    return this.call('head object', () => this.inner.head(key), 2);
  }

  async getStream(key: string, versionId?: string): Promise<Readable> {
    const body = await this.call('get object', () => this.inner.getStream(key, versionId));
    return this.runner.readable(`read object ${key}`, body);
  }

  put(key: string, body: Buffer, options?: PutObjectOptions): Promise<ObjectInfo> {
    const transferMs = Math.ceil(body.length / MIN_BYTES_PER_MS);
    return this.runner.call('put object', () => this.inner.put(key, body, options), this.timeoutMs + transferMs);
  }

  override putFile(key: string, filePath: string, options: PutObjectOptions & { size: number }): Promise<ObjectInfo> {
    const transferMs = Math.ceil(options.size / MIN_BYTES_PER_MS);
    return this.runner.call('put object', () => this.inner.putFile(key, filePath, options), this.timeoutMs + transferMs);
  }

  copy(sourceKey: string, targetKey: string): Promise<void> {
    return this.call('copy object', () => this.inner.copy(sourceKey, targetKey));
  }

  copyIfAbsent(sourceKey: string, targetKey: string): Promise<boolean> {
    // A HEAD, a GET and a PUT of bytes whose size only the HEAD tells: as long as S3 answers pings.
    return this.runner.callWhileAlive('copy object if absent', () => this.inner.copyIfAbsent(sourceKey, targetKey), this.timeoutMs * 3 + LONGEST_TRANSFER_MS);
  }

  delete(key: string): Promise<void> {
    return this.call('delete object', () => this.inner.delete(key));
  }

  versioningEnabled(): Promise<boolean> {
    return this.call('read bucket versioning', () => this.inner.versioningEnabled());
  }

  // One page of versions for almost every key; a second when the key shares a prefix.
  listVersions(key: string): Promise<ObjectVersion[]> {
    return this.call('list versions', () => this.inner.listVersions(key), 2);
  }

  restoreVersion(key: string, versionId: string): Promise<void> {
    return this.call('restore version', () => this.inner.restoreVersion(key, versionId));
  }

  ping(): Promise<void> {
    return this.runner.probe();
  }

  close(): Promise<void> {
    return this.runner.close(() => this.inner.close());
  }
}
