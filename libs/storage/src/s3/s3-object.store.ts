import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import {
  BucketLocationConstraint,
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  S3ClientConfig,
} from '@aws-sdk/client-s3';
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
import type { S3Settings } from '@storesync/config';
import { deadlineSignal } from '../deadline/deadline';
import { ListObjectsOptions, ObjectStore } from '../ports/object.store';
import { isMissingBucket, isMissingObject, mapS3Error } from './s3-error.mapper';
import { checksumToHex, decodeListedKey, encodeCopySourceKey, stripEtag } from './s3-keys';
import { newestFirst, toVersions } from './s3-versions';

export type S3ObjectStoreSettings = S3Settings & { timeoutMs: number };

const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
// Slowest upload we still wait for (1 MB/s); idle sockets are cut sooner by socketTimeout.
const MIN_UPLOAD_BYTES_PER_MS = 1000;
// How long a bucket seen to exist vouches for it when a HEAD answers 404: a scan confirms
// thousands of absent keys, and a bucket check per key doubled its requests.
const BUCKET_SEEN_MS = 1000;

/** ObjectStore on an S3 bucket (AWS S3 or any S3-compatible server such as MinIO). */
export class S3ObjectStore extends ObjectStore {
  readonly kind = 's3' as const;
  private readonly bucket: string;
  private readonly timeoutMs: number;
  private readonly region: string;
  private client: S3Client | null;
  /** The latest bucket check that succeeded or is in flight, shared by concurrent 404s. */
  private bucketCheck: { startedAt: number; done: Promise<void> } | null = null;

  constructor(settings: S3ObjectStoreSettings) {
    super();
    this.bucket = settings.bucket;
    this.timeoutMs = settings.timeoutMs;
    this.region = settings.region;
    this.client = new S3Client(clientConfig(settings));
  }

  async init(): Promise<void> {
    try {
      await this.s3().send(new HeadBucketCommand({ Bucket: this.bucket }), abortable());
      return;
    } catch (error) {
      if (!isMissingBucket(error)) throw mapS3Error(error);
    }
    // us-east-1 is the one region that refuses an explicit LocationConstraint.
    const location = this.region === 'us-east-1' ? undefined : { LocationConstraint: this.region as BucketLocationConstraint };
    try {
      await this.s3().send(new CreateBucketCommand({ Bucket: this.bucket, CreateBucketConfiguration: location }), abortable());
    } catch (error) {
      // Another instance created it meanwhile: fine. Owned by someone else (BucketAlreadyExists): not.
      if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw mapS3Error(error);
    }
  }

  async *listObjectPages(options: ListObjectsOptions = {}): AsyncIterable<ObjectInfo[]> {
    // MinIO answers MaxKeys=1 with a prefix naming an object by that object alone, not truncated.
    const pageSize = Math.max(options.pageSize ?? DEFAULT_PAGE_SIZE, 2);
    let continuationToken: string | undefined;
    let startAfter = options.startAfter;
    for (;;) {
      const page = await this.call((s3) =>
        s3.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: options.prefix || undefined,
            MaxKeys: pageSize,
            ContinuationToken: continuationToken,
            StartAfter: continuationToken ? undefined : startAfter,
            EncodingType: 'url',
          }),
          abortable(),
        ),
      );
      const objects = (page.Contents ?? []).map((entry) => ({
        key: decodeListedKey(entry.Key!),
        size: entry.Size ?? 0,
        etag: stripEtag(entry.ETag),
        lastModified: entry.LastModified ?? new Date(0),
      }));
      if (objects.length > 0) yield objects;
      if (!page.IsTruncated) return;
      const skipped = skippedPrefix(objects[objects.length - 1]?.key, options.skipPrefixes);
      if (skipped !== undefined) {
        // Past every key under the prefix: U+10FFFF sorts after any character a key can hold.
        startAfter = `${skipped}\u{10FFFF}`;
        continuationToken = undefined;
      } else {
        continuationToken = page.NextContinuationToken;
        if (!continuationToken) return;
      }
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key, 's3');
    try {
      const out = await this.s3().send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }), abortable());
      return {
        key,
        size: out.ContentLength ?? 0,
        etag: stripEtag(out.ETag),
        lastModified: out.LastModified ?? new Date(0),
        sha256: checksumToHex(out.ChecksumSHA256, out.ChecksumType),
        contentType: out.ContentType,
      };
    } catch (error) {
      if (!isMissingObject(error)) throw mapS3Error(error);
    }
    // A HEAD 404 has no body, so "no such bucket" looks exactly like "no such key";
    // ask the bucket so a wrong bucket is an outage, not a missing file.
    await this.bucketExists();
    return null;
  }

  private bucketExists(): Promise<void> {
    const now = Date.now();
    if (this.bucketCheck && now - this.bucketCheck.startedAt < BUCKET_SEEN_MS) return this.bucketCheck.done;
    const check = { startedAt: now, done: this.ping() };
    this.bucketCheck = check;
    // A failed check vouches for nothing: the next 404 asks again.
    check.done.catch(() => {
      if (this.bucketCheck === check) this.bucketCheck = null;
    });
    return check.done;
  }

  async getStream(key: string, versionId?: string): Promise<Readable> {
    assertValidKey(key, 's3');
    const out = await this.call((s3) => s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }), abortable()), key);
    if (!(out.Body instanceof Readable)) throw new StoreUnavailableError('s3', `no body for ${key}`);
    return out.Body;
  }

  async put(key: string, body: Buffer, options: PutObjectOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key, 's3');
    const sha256 = (options.sha256 ?? sha256Hex(body)).toLowerCase();
    if (!HEX_SHA256.test(sha256)) {
      throw new StoreError(StoreErrorCode.Invalid, 's3', 'sha256 must be 64 hex characters');
    }
    const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE;
    const out = await this.call((s3) =>
      s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: contentType,
          // S3 recomputes it and refuses the upload on mismatch (BadDigest).
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
        }),
        // The request timeout runs until the answer, so the upload itself must fit in it.
        abortable({ requestTimeout: this.timeoutMs + Math.ceil(body.length / MIN_UPLOAD_BYTES_PER_MS) }),
      ),
    );
    // PutObject does not return Last-Modified; the local clock is close enough for a fresh write.
    return { key, size: body.length, etag: stripEtag(out.ETag), lastModified: new Date(), sha256, contentType };
  }

  /** Streams the file to S3: an upload is never held in memory. */
  override async putFile(key: string, filePath: string, options: PutObjectOptions & { size: number }): Promise<ObjectInfo> {
    assertValidKey(key, 's3');
    const sha256 = (options.sha256 ?? '').toLowerCase();
    if (!HEX_SHA256.test(sha256)) throw new StoreError(StoreErrorCode.Invalid, 's3', 'sha256 must be 64 hex characters');
    const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE;
    const out = await this.call((s3) =>
      s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: fs.createReadStream(filePath),
          ContentLength: options.size,
          ContentType: contentType,
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
        }),
        abortable({ requestTimeout: this.timeoutMs + Math.ceil(options.size / MIN_UPLOAD_BYTES_PER_MS) }),
      ),
    );
    return { key, size: options.size, etag: stripEtag(out.ETag), lastModified: new Date(), sha256, contentType };
  }

  /**
   * A PutObject of the source's bytes with `If-None-Match: *`: S3 and MinIO refuse it with
   * 412 when the target exists (MinIO ignores the header on CopyObject, so no server-side copy).
   */
  async copyIfAbsent(sourceKey: string, targetKey: string): Promise<boolean> {
    assertValidKey(sourceKey, 's3');
    assertValidKey(targetKey, 's3');
    const source = await this.head(sourceKey);
    if (!source) throw new NotFoundError('s3', sourceKey);
    const body = await this.getStream(sourceKey);
    try {
      await this.call((s3) =>
        s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: targetKey,
            Body: body,
            ContentLength: source.size,
            ContentType: source.contentType ?? DEFAULT_CONTENT_TYPE,
            IfNoneMatch: '*',
            ...(source.sha256 ? { ChecksumSHA256: Buffer.from(source.sha256, 'hex').toString('base64') } : {}),
          }),
          abortable({ requestTimeout: this.timeoutMs + Math.ceil(source.size / MIN_UPLOAD_BYTES_PER_MS) }),
        ),
      );
      return true;
    } catch (error) {
      body.destroy();
      const cause = (error as StoreError).cause as { $metadata?: { httpStatusCode?: number }; name?: string } | undefined;
      if (cause?.$metadata?.httpStatusCode === 412 || cause?.name === 'PreconditionFailed') return false;
      throw error;
    }
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    assertValidKey(sourceKey, 's3');
    assertValidKey(targetKey, 's3');
    await this.copyFrom(`${this.bucket}/${encodeCopySourceKey(sourceKey)}`, targetKey, sourceKey);
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key, 's3');
    // S3 answers 204 for an absent key, so this is idempotent; NoSuchBucket still fails.
    await this.call((s3) => s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), abortable()));
  }

  async versioningEnabled(): Promise<boolean> {
    const out = await this.call((s3) => s3.send(new GetBucketVersioningCommand({ Bucket: this.bucket }), abortable()));
    return out.Status === 'Enabled';
  }

  async listVersions(key: string): Promise<ObjectVersion[]> {
    assertValidKey(key, 's3');
    const versions: ObjectVersion[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await this.call((s3) =>
        s3.send(
          new ListObjectVersionsCommand({
            Bucket: this.bucket,
            Prefix: key,
            KeyMarker: keyMarker,
            VersionIdMarker: versionIdMarker,
            EncodingType: 'url',
          }),
          abortable(),
        ),
      );
      const entries = toVersions(page, key);
      versions.push(...entries.exact);
      // Keys sharing the prefix ("a/b" for "a") list after the exact key: stop at the first one.
      if (entries.passedKey || !page.IsTruncated) break;
      keyMarker = page.NextKeyMarker ? decodeListedKey(page.NextKeyMarker) : undefined;
      versionIdMarker = page.NextVersionIdMarker;
      if (!keyMarker) break;
    }
    // A key whose only version is the unversioned "null" one has no history to restore from.
    if (versions.every((v) => v.versionId === 'null')) return [];
    return newestFirst(versions);
  }

  async restoreVersion(key: string, versionId: string): Promise<void> {
    assertValidKey(key, 's3');
    const source = `${this.bucket}/${encodeCopySourceKey(key)}?versionId=${encodeURIComponent(versionId)}`;
    await this.copyFrom(source, key, `${key} version ${versionId}`);
  }

  async ping(): Promise<void> {
    try {
      await this.s3().send(new HeadBucketCommand({ Bucket: this.bucket }), abortable());
    } catch (error) {
      if (isMissingBucket(error)) {
        throw new StoreUnavailableError('s3', `bucket ${this.bucket} does not exist`, error);
      }
      throw mapS3Error(error);
    }
  }

  async close(): Promise<void> {
    this.client?.destroy();
    this.client = null;
  }

  private async copyFrom(copySource: string, targetKey: string, what: string): Promise<void> {
    await this.call(
      (s3) =>
        s3.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: targetKey,
            CopySource: copySource,
            // Keep a SHA-256 on the copy so head() can still report the file's hash.
            ChecksumAlgorithm: 'SHA256',
          }),
          abortable(),
        ),
      what,
    );
  }

  /** Sends a request; `what` (when given) turns a 404 into NotFoundError. */
  private async call<T>(request: (client: S3Client) => Promise<T>, what?: string): Promise<T> {
    try {
      return await request(this.s3());
    } catch (error) {
      throw mapS3Error(error, what);
    }
  }

  private s3(): S3Client {
    if (!this.client) throw new StoreUnavailableError('s3', 'object store is closed');
    return this.client;
  }
}

/** Request options carrying the deadline's signal: an expired store call stops its request (and the SDK's retries). */
function abortable(options: { requestTimeout?: number } = {}): { abortSignal?: AbortSignal; requestTimeout?: number } {
  return { ...options, abortSignal: deadlineSignal() };
}

function clientConfig(settings: S3ObjectStoreSettings): S3ClientConfig {
  const { accessKeyId, secretAccessKey } = settings;
  return {
    region: settings.region,
    endpoint: settings.endpoint || undefined,
    forcePathStyle: settings.forcePathStyle,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    // Two attempts: one retry rides out a fast failure (a reset, a 503). Each attempt may use
    // the whole STORE_TIMEOUT_MS, but the call's deadline (DeadlineObjectStore) includes
    // the retry, so a request that times out is not tried again: its signal is aborted.
    maxAttempts: 2,
    // The SDK's default (WHEN_SUPPORTED) asks every GET for the stored checksum and hashes the
    // body a second time to compare: callers that need the bytes' sha256 (the scrubber, deep
    // checks) compute it themselves against the metadata, and a mismatch the SDK found would
    // surface as a failed read (a store fault), not as the checksum_mismatch it is.
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: settings.timeoutMs,
      requestTimeout: settings.timeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: settings.timeoutMs,
    },
  };
}

function skippedPrefix(key: string | undefined, prefixes: readonly string[] | undefined): string | undefined {
  if (key === undefined || !prefixes) return undefined;
  return prefixes.find((prefix) => key.startsWith(prefix));
}
