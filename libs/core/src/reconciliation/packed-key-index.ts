/** Arena blocks: a key never spans two, so a position is (block << 20) | offset. */
const BLOCK_BITS = 20;
const BLOCK_SIZE = 1 << BLOCK_BITS;
/** Header byte of a canonical lowercase UUID, stored as its 16 bytes. */
const UUID_TAG = 0xff;
/** Longer keys (UTF-8 bytes) are kept in an ordinary Map: real file ids are far shorter. */
const MAX_PACKED_LENGTH = 0xfe;
const EMPTY = 0;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Hex digit value by char code; 255 elsewhere. */
const HEX = new Uint8Array(128).fill(255);
for (let i = 0; i < 16; i += 1) HEX['0123456789abcdef'.charCodeAt(i)] = i;

/**
 * Maps string keys to dense slots 0, 1, 2… without a JS object per key: the keys live
 * as bytes in an arena (a UUID in 16), found through an open-addressing table of
 * 32-bit integers. A million file ids cost ~25-45 MB outside the JS heap, where a
 * Map<string, number> costs ~85 MB of heap the collector must walk on every major GC.
 */
export class PackedKeyIndex {
  private readonly blocks: Uint8Array[] = [];
  private blockUsed = BLOCK_SIZE;
  /** Arena position of each slot's key, or -1 when the key is in `long`. */
  private positions: Int32Array = new Int32Array(1024);
  /** slot + 1 per bucket; 0 is empty. */
  private table: Int32Array = new Int32Array(2048);
  private readonly long = new Map<string, number>();
  private readonly longBySlot = new Map<number, string>();
  private readonly scratch = new Uint8Array(MAX_PACKED_LENGTH * 3 + 1);
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private count = 0;
  /** Length of the key get() last encoded into scratch. */
  private lastLength = 0;

  get size(): number {
    return this.count;
  }

  /** The key's slot, or -1. */
  get(key: string): number {
    const length = this.encode(key);
    this.lastLength = length;
    if (length < 0) return this.long.get(key) ?? -1;
    const mask = this.table.length - 1;
    for (let bucket = hashBytes(this.scratch, length) & mask; ; bucket = (bucket + 1) & mask) {
      const entry = this.table[bucket];
      if (entry === EMPTY) return -1;
      if (this.matches(entry - 1, length)) return entry - 1;
    }
  }

  /** The key's slot, made the next free one when the key is new. */
  slotOf(key: string): { slot: number; created: boolean } {
    const found = this.get(key);
    if (found >= 0) return { slot: found, created: false };
    const slot = this.count++;
    if (slot === this.positions.length) this.positions = grow(this.positions);
    // get() left the key's bytes in scratch.
    const length = this.lastLength;
    if (length < 0) {
      this.positions[slot] = -1;
      this.long.set(key, slot);
      this.longBySlot.set(slot, key);
      return { slot, created: true };
    }
    this.positions[slot] = this.store(length);
    if (this.count * 2 > this.table.length) this.rehash();
    else this.place(slot, hashBytes(this.scratch, length));
    return { slot, created: true };
  }

  keyAt(slot: number): string {
    const position = this.positions[slot];
    if (position < 0) return this.longBySlot.get(slot)!;
    const block = this.blocks[position >>> BLOCK_BITS];
    const offset = position & (BLOCK_SIZE - 1);
    if (block[offset] === UUID_TAG) return uuidString(block, offset + 1);
    return this.decoder.decode(block.subarray(offset + 1, offset + 1 + block[offset]));
  }

  /** Writes the key's bytes into scratch: their length, or -1 for a key kept in `long`. */
  private encode(key: string): number {
    if (key.length === 36 && UUID.test(key)) {
      this.scratch[0] = UUID_TAG;
      for (let i = 0, j = 1; i < 36; i += 1) {
        if (i === 8 || i === 13 || i === 18 || i === 23) continue;
        this.scratch[j++] = (HEX[key.charCodeAt(i)] << 4) | HEX[key.charCodeAt(++i)];
      }
      return 17;
    }
    if (key.length > MAX_PACKED_LENGTH) return -1;
    const { written } = this.encoder.encodeInto(key, this.scratch.subarray(1));
    if (written > MAX_PACKED_LENGTH) return -1;
    this.scratch[0] = written;
    return written + 1;
  }

  private matches(slot: number, length: number): boolean {
    const position = this.positions[slot];
    if (position < 0) return false;
    const block = this.blocks[position >>> BLOCK_BITS];
    const offset = position & (BLOCK_SIZE - 1);
    for (let i = 0; i < length; i += 1) if (block[offset + i] !== this.scratch[i]) return false;
    return true;
  }

  private store(length: number): number {
    if (this.blockUsed + length > BLOCK_SIZE) {
      this.blocks.push(new Uint8Array(BLOCK_SIZE));
      this.blockUsed = 0;
    }
    const index = this.blocks.length - 1;
    this.blocks[index].set(this.scratch.subarray(0, length), this.blockUsed);
    const position = (index << BLOCK_BITS) | this.blockUsed;
    this.blockUsed += length;
    return position;
  }

  private place(slot: number, hash: number): void {
    const mask = this.table.length - 1;
    let bucket = hash & mask;
    while (this.table[bucket] !== EMPTY) bucket = (bucket + 1) & mask;
    this.table[bucket] = slot + 1;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let slot = 0; slot < this.count; slot += 1) {
      const position = this.positions[slot];
      if (position < 0) continue;
      const block = this.blocks[position >>> BLOCK_BITS];
      const offset = position & (BLOCK_SIZE - 1);
      const length = block[offset] === UUID_TAG ? 17 : block[offset] + 1;
      this.place(slot, hashBytes(block, length, offset));
    }
  }
}

/** FNV-1a with a final avalanche, so sequential ids ("f00000001", …) spread over the table. */
function hashBytes(bytes: Uint8Array, length: number, offset = 0): number {
  let h = 0x811c9dc5;
  for (let i = offset; i < offset + length; i += 1) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function grow(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

function uuidString(bytes: Uint8Array, offset: number): string {
  let out = '';
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += bytes[offset + i].toString(16).padStart(2, '0');
  }
  return out;
}
