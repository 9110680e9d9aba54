import type { PublishedEvent } from '../realtime.types';

export type ReplayResult =
  | { kind: 'events'; events: PublishedEvent[] }
  /** Some events after `fromSeq - 1` are gone (evicted, or from before a restart): refetch. */
  | { kind: 'gap'; fromSeq: number; events: PublishedEvent[] };

/** The last `capacity` published events, for reconnecting clients. Counts what it had to drop. */
export class ReplayBuffer {
  private readonly events: PublishedEvent[] = [];
  private start = 0;
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.events.length - this.start;
  }

  push(event: PublishedEvent): void {
    this.events.push(event);
    if (this.size > this.capacity) {
      this.start += 1;
      this.dropped += 1;
      // Compact now and then instead of shifting on every push.
      if (this.start > this.capacity) {
        this.events.splice(0, this.start);
        this.start = 0;
      }
    }
  }

  /** Events with seq > lastSeq; a gap when the buffer no longer holds seq lastSeq + 1. */
  since(lastSeq: number, currentSeq: number): ReplayResult {
    const held = this.events.slice(this.start);
    const events = held.filter((e) => e.seq > lastSeq);
    const oldest = held[0]?.seq ?? currentSeq + 1;
    if (lastSeq > currentSeq || lastSeq + 1 < oldest) return { kind: 'gap', fromSeq: lastSeq + 1, events };
    return { kind: 'events', events };
  }
}
