import {
  classifyFile,
  DeferredDraft,
  classifyOrphanVectors,
  classifyUnmappedVectors,
  FileCheck,
  FileRecord,
  IssueDraft,
  isStoreUnavailable,
  isDeferredDraft,
  orphanObjectFinding,
  KeyLayout,
  ListedAncestors,
  mergeJoinPages,
  ObjectInfo,
  StoreName,
  PointRef,
  SyncRules,
  UncheckedCheck,
  VectorSummaryMap,
} from '@storesync/core';
import type { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { failSoft, StreamFailure } from './fail-soft';
import { LookupPool } from './lookup-pool';
import { deepCheckSha256 } from './object-hasher';
import { jsonSpillCodec, spillingReadAhead } from './spilling-read-ahead';

/** Records and keys per store round trip, whatever SYNC_BATCH_SIZE says (it sizes batches of work). */
const MIN_PAGE_SIZE = 1000;
/** Files waiting for a lookup before the scan itself waits. */
const LOOKUP_BACKLOG = 2000;
/** Per stream, how much of metadata and S3 may wait in memory ahead of the join (the rest waits on disk). */
const READ_AHEAD_ITEMS = 5_000;
const RECORD_CODEC = jsonSpillCodec<FileRecord>(['createdAt', 'updatedAt', 'deletedAt']);
const OBJECT_CODEC = jsonSpillCodec<ObjectInfo>(['lastModified']);
/** Point ids an unmapped_vectors issue shows (the repair finds every such point again itself). */
const UNMAPPED_IDS_SHOWN = 100;

export interface ScanOptions {
  userId?: string;
  deep: boolean;
  batchSize: number;
  rules: SyncRules;
  now: Date;
  signal: AbortSignal;
  deepConcurrency?: number;
}

export interface StoreReport {
  ok: boolean;
  /** Records, objects or points seen. */
  count: number;
  /** Bytes recorded (metadata) or stored (S3). */
  bytes?: number;
  /** Distinct files with points (Qdrant). */
  files?: number;
  error?: string;
}

/** What the scan hands over, batch by batch, as it goes. */
export interface ScanBatch {
  files: FileCheck[];
  /** Issues with no file record: orphans. */
  orphans: IssueDraft[];
  /** Orphan objects inside the grace window (in flight): an open issue for one stays open. */
  deferred?: DeferredDraft[];
}

/** Milliseconds from the scan's start: where a run's time went. */
export interface ScanPhases {
  /** Qdrant's points folded into the summary map. */
  vectors_ms?: number;
  /** First metadata record reached the join (a server may sort everything first). */
  first_record_ms?: number;
  /** The merge-join ended: every record and object seen. */
  join_ms?: number;
}

/** A record met by the join, waiting to be classified. */
interface PendingFile {
  record: FileRecord;
  /** null: not listed; undefined: the listing failed before this key. */
  object: ObjectInfo | null | undefined;
  /** The listing may have left it out although it exists: ask S3 for it before calling it missing. */
  confirm: boolean;
}

export interface ScanStores {
  metadata: MetadataStore;
  objects: ObjectStore;
  vectors: VectorStore;
}

/**
 * One full pass over the three stores (DESIGN.md "Analysis"): points are folded into a
 * per-file count map first, then metadata (sorted by key) and the S3 listing (UTF-8
 * order) are merge-joined and classified as they stream. A store that fails part-way
 * is reported, and nothing it could not answer is called missing or orphaned.
 */
export class FullScan {
  readonly stores: Record<StoreName, StoreReport> = {
    mongodb: { ok: true, count: 0, bytes: 0 },
    s3: { ok: true, count: 0, bytes: 0 },
    qdrant: { ok: true, count: 0, files: 0 },
  };
  readonly phases: ScanPhases = {};
  /** Files for which a comparison could not be made, by comparison (a field not stored). */
  readonly notChecked: Partial<Record<UncheckedCheck, number>> = {};
  /** Objects under objects.ignore_prefixes, left out of the scan. */
  ignoredObjects = 0;
  private readonly startedAt = performance.now();
  private readonly layout: KeyLayout;
  /** Points with no file id, by the user they name. */
  private readonly unmapped = new Map<string, { points: number; ids: string[] }>();

  constructor(
    private readonly source: ScanStores,
    private readonly options: ScanOptions,
  ) {
    this.layout = options.rules.keyLayout ?? new KeyLayout();
  }

  private fail(store: StoreName, error: unknown): void {
    this.stores[store].ok = false;
    this.stores[store].error ??= (error as Error).message;
  }

  /** Counted before the scan for progress; a failure here is reported, not fatal. */
  async estimateTotal(): Promise<number> {
    try {
      return await this.source.metadata.count({ userId: this.options.userId, estimate: true });
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      this.fail('mongodb', error);
      return 0;
    }
  }

  async *run(): AsyncGenerator<ScanBatch> {
    const { userId, batchSize, signal } = this.options;
    // A user's keys share a prefix when the key layout says so; otherwise the whole
    // listing is read and kept to the keys whose user is this one.
    const prefix = userId !== undefined ? this.layout.userPrefix(userId) : undefined;
    const keepObject = (o: ObjectInfo): boolean => {
      if (this.layout.ignored(o.key)) {
        this.ignoredObjects += 1;
        return false;
      }
      return userId === undefined || prefix !== undefined || this.layout.userOf(o.key) === userId;
    };
    const pageSize = Math.max(batchSize, MIN_PAGE_SIZE);
    const metaFailure: StreamFailure = {};
    const s3Failure: StreamFailure = {};
    // Metadata and S3 start streaming while the points load, so the scan costs about the
    // slowest store rather than the sum: whichever store answers first is read to the end
    // (its overflow in a temporary file) while the others are still working.
    const metaAhead = spillingReadAhead(this.source.metadata.streamFilePages({ userId, batchSize: pageSize }), {
      memoryItems: READ_AHEAD_ITEMS,
      codec: RECORD_CODEC,
    });
    const s3Ahead = spillingReadAhead(this.source.objects.listObjectPages({ prefix, pageSize, skipPrefixes: this.layout.ignorePrefixes }), {
      memoryItems: READ_AHEAD_ITEMS,
      codec: OBJECT_CODEC,
    });
    const vectors = await this.loadVectors();
    this.phases.vectors_ms = this.elapsed();
    if (signal.aborted) {
      metaAhead.cancel();
      s3Ahead.cancel();
      return;
    }
    // failSoft sits after the read-ahead so a failure ends the stream where it happened.
    const records = failSoft(metaAhead, metaFailure);
    const listing = keepObjects(failSoft(s3Ahead, s3Failure), keepObject);
    const join = mergeJoinPages(
      records,
      listing,
      (r: FileRecord) => r.fileKey,
      (o: ObjectInfo) => o.key,
    );

    const lookups = new LookupPool<FileCheck>(this.options.deepConcurrency ?? 8, LOOKUP_BACKLOG);
    const ancestors = new ListedAncestors();
    // An object named like the user's folder ("alice" beside "alice/…") hides the whole
    // folder from MinIO's listing: then every key of the scan is asked for by a HEAD.
    for (const key of prefix !== undefined ? folderKeys(prefix) : []) {
      if ((await this.head(key)) !== null) ancestors.listed(key);
    }
    let pending: PendingFile[] = [];
    let orphans: IssueDraft[] = [];
    let deferred: DeferredDraft[] = [];
    for await (const rows of join) {
      if (signal.aborted) return;
      for (const row of rows) {
        if (row.right) {
          this.stores.s3.count += 1;
          this.stores.s3.bytes! += row.right.size;
          ancestors.listed(row.right.key);
        }
        if (row.left) {
          if (this.stores.mongodb.count === 0) this.phases.first_record_ms = this.elapsed();
          this.stores.mongodb.count += 1;
          if (row.left.isActive) this.stores.mongodb.bytes! += row.left.fileSize;
          const object = row.right ?? (s3Failure.error ? undefined : null);
          // A key a complete listing left out is absent, unless the listing could not have
          // shown it: outside a user scan's prefix, or under a listed object (MinIO lists
          // "a" but not "a/b"). Those are confirmed by a point lookup first.
          const confirm =
            object === null &&
            row.left.isActive &&
            ((prefix !== undefined && !row.left.fileKey.startsWith(prefix)) ||
              this.layout.ignored(row.left.fileKey) ||
              ancestors.hasListedAncestor(row.left.fileKey));
          pending.push({ record: row.left, object, confirm });
        } else if (row.right && !metaFailure.error) {
          const orphan = orphanObjectFinding(row.right, this.options.now, this.options.rules);
          if (orphan && isDeferredDraft(orphan)) deferred.push(orphan);
          else if (orphan) orphans.push(orphan);
        }
        if (pending.length + orphans.length >= batchSize) {
          yield { files: await this.classify(pending, vectors, lookups), orphans, deferred };
          pending = [];
          orphans = [];
          deferred = [];
          if (signal.aborted) return;
        }
      }
    }
    this.phases.join_ms = this.elapsed();
    if (metaFailure.error) this.fail('mongodb', metaFailure.error);
    if (s3Failure.error) this.fail('s3', s3Failure.error);
    const last = await this.classify(pending, vectors, lookups);
    yield { files: [...last, ...(await lookups.finish())], orphans, deferred };
    // Orphan points are only known once every record was seen; hand them over in batches too.
    const orphanPoints = [...(await this.orphanVectors(vectors, metaFailure)), ...this.unmappedVectors(vectors)];
    for (let i = 0; i < orphanPoints.length; i += batchSize) {
      yield { files: [], orphans: orphanPoints.slice(i, i + batchSize) };
    }
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  private async loadVectors(): Promise<VectorSummaryMap | undefined> {
    const map = new VectorSummaryMap();
    try {
      for await (const page of this.source.vectors.scrollPointRefs({
        userId: this.options.userId,
        pageSize: Math.max(this.options.batchSize, MIN_PAGE_SIZE),
      })) {
        if (this.options.signal.aborted) return undefined;
        map.add(page.some((p) => p.fileId === '') ? this.setAsideUnmapped(page) : page);
        this.stores.qdrant.count += page.length;
      }
      this.stores.qdrant.files = map.size;
      return map;
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      this.fail('qdrant', error);
      return undefined;
    }
  }

  /** Points that name no file cannot join metadata: counted per user, for their own issue. */
  private setAsideUnmapped(page: PointRef[]): PointRef[] {
    const mapped: PointRef[] = [];
    for (const point of page) {
      if (point.fileId !== '') {
        mapped.push(point);
        continue;
      }
      let group = this.unmapped.get(point.userId);
      if (!group) {
        group = { points: 0, ids: [] };
        this.unmapped.set(point.userId, group);
      }
      group.points += 1;
      if (group.ids.length < UNMAPPED_IDS_SHOWN) group.ids.push(point.id);
    }
    return mapped;
  }

  private unmappedVectors(vectors: VectorSummaryMap | undefined): IssueDraft[] {
    if (!vectors || this.options.signal.aborted) return [];
    return [...this.unmapped].map(([user, group]) => classifyUnmappedVectors(user, group.points, group.ids));
  }

  private classified(check: FileCheck): FileCheck {
    if (check.notChecked) for (const name of check.notChecked) this.notChecked[name] = (this.notChecked[name] ?? 0) + 1;
    return check;
  }

  /**
   * Classifies a batch. Files that need a lookup first (an object absent from the
   * listing, a deep hash) go to the pool and come back with a later batch, so the
   * scan does not wait on them.
   */
  private async classify(pending: PendingFile[], vectors: VectorSummaryMap | undefined, lookups: LookupPool<FileCheck>): Promise<FileCheck[]> {
    const { deep, rules, now } = this.options;
    const ready: FileCheck[] = [];
    for (const { record, object, confirm } of pending) {
      const summary = vectors ? (vectors.take(record.fileId) ?? null) : undefined;
      const hash = deep && !!object && !!record.sha256;
      if (!confirm && !hash) {
        ready.push(this.classified(classifyFile({ record, object, vectors: summary, now }, rules)));
        continue;
      }
      await lookups.submit(async () => {
        const found = confirm ? await this.head(record.fileKey) : object;
        let sha: string | undefined;
        if (deep && found && record.sha256) {
          const hashed = await deepCheckSha256(this.source.objects, record.fileKey);
          if (hashed === undefined) this.fail('s3', new Error(`could not hash ${record.fileKey}`));
          sha = hashed ?? undefined;
        }
        return this.classified(classifyFile({ record, object: found, vectors: summary, objectSha256: sha, now }, rules));
      });
    }
    return [...ready, ...lookups.take()];
  }

  private async head(key: string): Promise<ObjectInfo | null | undefined> {
    try {
      return await this.source.objects.head(key);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      this.fail('s3', error);
      return undefined;
    }
  }

  /** Points left in the map belong to no record the scan saw. */
  private async orphanVectors(vectors: VectorSummaryMap | undefined, metaFailure: StreamFailure): Promise<IssueDraft[]> {
    if (!vectors || metaFailure.error || this.options.signal.aborted) return [];
    const orphans: IssueDraft[] = [];
    for (const summary of vectors.remaining()) {
      // A user scan only saw that user's records: confirm the file is really unknown.
      if (this.options.userId !== undefined) {
        try {
          if (await this.source.metadata.getByFileId(summary.fileId)) continue;
        } catch (error) {
          if (!isStoreUnavailable(error)) throw error;
          this.fail('mongodb', error);
          return [];
        }
      }
      orphans.push(classifyOrphanVectors(summary));
    }
    return orphans;
  }
}

/** The keys a prefix's folders would have as objects: "a/b/" → "a", "a/b". */
function folderKeys(prefix: string): string[] {
  const keys: string[] = [];
  for (let slash = prefix.indexOf('/'); slash > 0; slash = prefix.indexOf('/', slash + 1)) keys.push(prefix.slice(0, slash));
  return keys;
}

/** The listing without what the scan must not look at (ignored prefixes, another user's keys). */
async function* keepObjects(pages: AsyncIterable<ObjectInfo[]>, keep: (o: ObjectInfo) => boolean): AsyncIterable<ObjectInfo[]> {
  for await (const page of pages) {
    const kept = page.filter(keep);
    if (kept.length > 0) yield kept;
  }
}
