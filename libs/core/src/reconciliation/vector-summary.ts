import type { FileVectorSummary, PointRef } from '../vector-point';
import { PackedKeyIndex } from './packed-key-index';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;

/** Per-slot flags: the file's points disagree among themselves (kept in `mixed`). */
const MIXED = 1;
/** The file's summary was taken by the join: it has metadata. */
const TAKEN = 2;

/** What a file's points say when they do not all agree, or carry a hash that is not hex. */
interface MixedValues {
  contentHashes: string[];
  chunkCounts: number[];
  models: string[];
}

/** The fixed-size fields of 65,536 files; pages are added, never copied, as files come. */
class SummaryPage {
  readonly points = new Uint32Array(PAGE_SIZE);
  readonly chunkCounts = new Uint32Array(PAGE_SIZE);
  readonly hashes = new Uint8Array(PAGE_SIZE * 32);
  readonly users = new Uint32Array(PAGE_SIZE);
  readonly models = new Uint32Array(PAGE_SIZE);
  readonly flags = new Uint8Array(PAGE_SIZE);
}

/**
 * Folds scrolled points into one summary per file. This map is the only state a full
 * scan keeps that grows with the number of files, so nothing in it is a JS object per
 * file: file ids are bytes in a PackedKeyIndex, the rest sits in typed-array pages (the
 * hash as 32 raw bytes, interned user ids and models), ~80 bytes a file where plain
 * objects took ~800. Files whose points disagree (rare: that is a stale_vectors finding)
 * keep their full values aside.
 */
export class VectorSummaryMap {
  private readonly keys = new PackedKeyIndex();
  private readonly pages: SummaryPage[] = [];
  private live = 0;
  private readonly mixed = new Map<number, MixedValues>();
  private readonly userNames: string[] = [];
  private readonly userIds = new Map<string, number>();
  /** Index 0 means "no model in the payload". */
  private readonly modelNames: string[] = [''];
  private readonly modelIndex = new Map<string, number>([['', 0]]);

  add(points: Iterable<PointRef>): void {
    for (const point of points) {
      const { slot, created } = this.keys.slotOf(point.fileId);
      if (created) this.create(slot, point);
      else this.merge(slot, point);
    }
  }

  /** Returns and forgets the file's summary: what is left at the end has no metadata. */
  take(fileId: string): FileVectorSummary | undefined {
    const slot = this.keys.get(fileId);
    if (slot < 0) return undefined;
    const page = this.page(slot);
    const i = slot & (PAGE_SIZE - 1);
    if (page.flags[i] & TAKEN) return undefined;
    page.flags[i] |= TAKEN;
    this.live -= 1;
    const summary = this.summary(fileId, slot);
    this.mixed.delete(slot);
    return summary;
  }

  *remaining(): IterableIterator<FileVectorSummary> {
    for (let slot = 0; slot < this.keys.size; slot += 1) {
      if (!(this.page(slot).flags[slot & (PAGE_SIZE - 1)] & TAKEN)) yield this.summary(this.keys.keyAt(slot), slot);
    }
  }

  /** Files not taken yet. */
  get size(): number {
    return this.live;
  }

  get pointCount(): number {
    let total = 0;
    for (let slot = 0; slot < this.keys.size; slot += 1) {
      const page = this.page(slot);
      const i = slot & (PAGE_SIZE - 1);
      if (!(page.flags[i] & TAKEN)) total += page.points[i];
    }
    return total;
  }

  private page(slot: number): SummaryPage {
    return this.pages[slot >>> PAGE_BITS];
  }

  private create(slot: number, point: PointRef): void {
    if (slot >>> PAGE_BITS === this.pages.length) this.pages.push(new SummaryPage());
    const page = this.page(slot);
    const i = slot & (PAGE_SIZE - 1);
    this.live += 1;
    page.points[i] = 1;
    page.chunkCounts[i] = point.chunkCount >>> 0;
    page.users[i] = this.intern(point.userId, this.userIds, this.userNames);
    page.models[i] = this.intern(point.model ?? '', this.modelIndex, this.modelNames);
    if (HEX_SHA256.test(point.contentHash) && Number.isInteger(point.chunkCount) && point.chunkCount >= 0) {
      writeHex(point.contentHash, page.hashes, i * 32);
    } else {
      page.flags[i] = MIXED;
      this.mixed.set(slot, { contentHashes: [point.contentHash], chunkCounts: [point.chunkCount], models: point.model ? [point.model] : [] });
    }
  }

  private merge(slot: number, point: PointRef): void {
    const page = this.page(slot);
    const i = slot & (PAGE_SIZE - 1);
    page.points[i] += 1;
    let values = this.mixed.get(slot);
    if (!values) {
      const model = point.model ?? '';
      const agrees =
        point.chunkCount === page.chunkCounts[i] &&
        model === this.modelNames[page.models[i]] &&
        HEX_SHA256.test(point.contentHash) &&
        equalsHex(point.contentHash, page.hashes, i * 32);
      if (agrees) return;
      values = this.unpack(slot);
      page.flags[i] |= MIXED;
      this.mixed.set(slot, values);
    }
    pushDistinct(values.contentHashes, point.contentHash);
    pushDistinct(values.chunkCounts, point.chunkCount);
    if (point.model) pushDistinct(values.models, point.model);
  }

  private unpack(slot: number): MixedValues {
    const page = this.page(slot);
    const i = slot & (PAGE_SIZE - 1);
    const model = this.modelNames[page.models[i]];
    return {
      contentHashes: [Buffer.from(page.hashes.subarray(i * 32, i * 32 + 32)).toString('hex')],
      chunkCounts: [page.chunkCounts[i]],
      models: model ? [model] : [],
    };
  }

  private summary(fileId: string, slot: number): FileVectorSummary {
    const page = this.page(slot);
    const i = slot & (PAGE_SIZE - 1);
    const values = page.flags[i] & MIXED ? this.mixed.get(slot)! : this.unpack(slot);
    return {
      fileId,
      userId: this.userNames[page.users[i]],
      points: page.points[i],
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
}

/** Hex digit value by char code (inputs are checked against HEX_SHA256 first). */
const HEX_VALUE = new Uint8Array(128);
for (let i = 0; i < 16; i += 1) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;

// Decoded in place: a Buffer per point would be garbage a million times over.
function writeHex(hex: string, into: Uint8Array, offset: number): void {
  for (let i = 0; i < 32; i += 1) into[offset + i] = (HEX_VALUE[hex.charCodeAt(2 * i)] << 4) | HEX_VALUE[hex.charCodeAt(2 * i + 1)];
}

function equalsHex(hex: string, bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 32; i += 1) {
    if (bytes[offset + i] !== ((HEX_VALUE[hex.charCodeAt(2 * i)] << 4) | HEX_VALUE[hex.charCodeAt(2 * i + 1)])) return false;
  }
  return true;
}

function pushDistinct<T>(values: T[], value: T): void {
  if (!values.includes(value)) values.push(value);
}

/** The summary of one file's points (all of the same file), as a single-file check or a repair re-check sees them. */
export function summarizeFilePoints(points: PointRef[]): FileVectorSummary | null {
  if (points.length === 0) return null;
  const map = new VectorSummaryMap();
  map.add(points);
  return map.take(points[0].fileId) ?? null;
}
