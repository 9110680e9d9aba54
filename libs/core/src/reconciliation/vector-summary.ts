import type { FileVectorSummary, PointRef } from '../vector-point';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const INITIAL_CAPACITY = 1024;

/** Per-slot flags: the file's points disagree among themselves (kept in `mixed`). */
const MIXED = 1;

/** What a file's points say when they do not all agree, or carry a hash that is not hex. */
interface MixedValues {
  contentHashes: string[];
  chunkCounts: number[];
  models: string[];
}

/**
 * Folds scrolled points into one summary per file. This map is the only state a full
 * scan keeps that grows with the number of files, so it is packed: one Map entry per
 * file pointing into typed arrays (the hash as 32 raw bytes, interned user ids and
 * models), about 150 bytes a file instead of ~800 for plain objects. Files whose points
 * disagree (rare: that is a stale_vectors finding) keep their full values aside.
 */
export class VectorSummaryMap {
  private readonly slots = new Map<string, number>();
  private capacity = INITIAL_CAPACITY;
  private used = 0;
  private points = new Uint32Array(INITIAL_CAPACITY);
  private chunkCounts = new Uint32Array(INITIAL_CAPACITY);
  private hashes = new Uint8Array(INITIAL_CAPACITY * 32);
  private users = new Uint32Array(INITIAL_CAPACITY);
  private modelIds = new Uint32Array(INITIAL_CAPACITY);
  private flags = new Uint8Array(INITIAL_CAPACITY);
  private readonly mixed = new Map<number, MixedValues>();
  private readonly userNames: string[] = [];
  private readonly userIds = new Map<string, number>();
  /** Index 0 means "no model in the payload". */
  private readonly modelNames: string[] = [''];
  private readonly modelIndex = new Map<string, number>([['', 0]]);

  add(points: Iterable<PointRef>): void {
    for (const point of points) {
      const slot = this.slots.get(point.fileId);
      if (slot === undefined) this.create(point);
      else this.merge(slot, point);
    }
  }

  /** Returns and forgets the file's summary: what is left at the end has no metadata. */
  take(fileId: string): FileVectorSummary | undefined {
    const slot = this.slots.get(fileId);
    if (slot === undefined) return undefined;
    this.slots.delete(fileId);
    const summary = this.summary(fileId, slot);
    this.mixed.delete(slot);
    return summary;
  }

  *remaining(): IterableIterator<FileVectorSummary> {
    for (const [fileId, slot] of this.slots) yield this.summary(fileId, slot);
  }

  get size(): number {
    return this.slots.size;
  }

  get pointCount(): number {
    let total = 0;
    for (const slot of this.slots.values()) total += this.points[slot];
    return total;
  }

  private create(point: PointRef): void {
    if (this.used === this.capacity) this.grow();
    const slot = this.used++;
    this.slots.set(point.fileId, slot);
    this.points[slot] = 1;
    this.chunkCounts[slot] = point.chunkCount >>> 0;
    this.users[slot] = this.intern(point.userId, this.userIds, this.userNames);
    this.modelIds[slot] = this.intern(point.model ?? '', this.modelIndex, this.modelNames);
    if (HEX_SHA256.test(point.contentHash) && Number.isInteger(point.chunkCount) && point.chunkCount >= 0) {
      this.hashes.set(Buffer.from(point.contentHash, 'hex'), slot * 32);
    } else {
      this.flags[slot] = MIXED;
      this.mixed.set(slot, { contentHashes: [point.contentHash], chunkCounts: [point.chunkCount], models: point.model ? [point.model] : [] });
    }
  }

  private merge(slot: number, point: PointRef): void {
    this.points[slot] += 1;
    let values = this.mixed.get(slot);
    if (!values) {
      const model = point.model ?? '';
      const agrees =
        point.chunkCount === this.chunkCounts[slot] &&
        model === this.modelNames[this.modelIds[slot]] &&
        HEX_SHA256.test(point.contentHash) &&
        Buffer.from(point.contentHash, 'hex').equals(this.hashes.subarray(slot * 32, slot * 32 + 32));
      if (agrees) return;
      values = this.unpack(slot);
      this.flags[slot] = MIXED;
      this.mixed.set(slot, values);
    }
    pushDistinct(values.contentHashes, point.contentHash);
    pushDistinct(values.chunkCounts, point.chunkCount);
    if (point.model) pushDistinct(values.models, point.model);
  }

  private unpack(slot: number): MixedValues {
    const model = this.modelNames[this.modelIds[slot]];
    return {
      contentHashes: [Buffer.from(this.hashes.subarray(slot * 32, slot * 32 + 32)).toString('hex')],
      chunkCounts: [this.chunkCounts[slot]],
      models: model ? [model] : [],
    };
  }

  private summary(fileId: string, slot: number): FileVectorSummary {
    const values = this.flags[slot] & MIXED ? this.mixed.get(slot)! : this.unpack(slot);
    return {
      fileId,
      userId: this.userNames[this.users[slot]],
      points: this.points[slot],
      contentHashes: [...values.contentHashes],
      chunkCounts: [...values.chunkCounts],
      models: [...values.models],
    };
  }

  private intern(value: string, index: Map<string, number>, names: string[]): number {
    let id = index.get(value);
    if (id === undefined) {
      id = names.length;
      names.push(value);
      index.set(value, id);
    }
    return id;
  }

  private grow(): void {
    this.capacity *= 2;
    const widen = <A extends Uint8Array | Uint32Array>(old: A, make: (n: number) => A, perSlot = 1): A => {
      const next = make(this.capacity * perSlot);
      next.set(old);
      return next;
    };
    this.points = widen(this.points, (n) => new Uint32Array(n));
    this.chunkCounts = widen(this.chunkCounts, (n) => new Uint32Array(n));
    this.hashes = widen(this.hashes, (n) => new Uint8Array(n), 32);
    this.users = widen(this.users, (n) => new Uint32Array(n));
    this.modelIds = widen(this.modelIds, (n) => new Uint32Array(n));
    this.flags = widen(this.flags, (n) => new Uint8Array(n));
  }
}

function pushDistinct<T>(values: T[], value: T): void {
  if (!values.includes(value)) values.push(value);
}
