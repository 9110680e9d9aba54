import { StoreUnavailableError } from '@storesync/core';
import { observeStore, StoreCall, StoreCallEvents } from './store-calls';

class FakePort {
  readonly kind = 'fake';
  async head(key: string): Promise<string> {
    return key;
  }
  async markInactive(key: string): Promise<string> {
    return this.head(key);
  }
  async ping(): Promise<void> {
    throw new StoreUnavailableError('s3', 'connection refused');
  }
  async *pages(): AsyncIterable<number[]> {
    yield [1, 2];
    yield [3];
  }
  async *stream(): AsyncIterable<number> {
    for await (const page of this.pages()) yield* page;
  }
}

describe(observeStore.name, () => {
  let calls: StoreCall[];
  let sut: FakePort;
  beforeEach(() => {
    calls = [];
    const events = new StoreCallEvents();
    events.subscribe((call) => calls.push(call));
    sut = observeStore(new FakePort(), 's3', events);
  });

  it('times a call once, even when it calls another method of the adapter', async () => {
    await expect(sut.markInactive('a')).resolves.toBe('a');
    expect(calls).toEqual([expect.objectContaining({ store: 's3', operation: 'markInactive', outcome: 'ok' })]);
    expect(sut).toBeInstanceOf(FakePort);
    expect(sut.kind).toBe('fake');
  });

  it('reports a store that is down as unavailable and still throws', async () => {
    await expect(sut.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls).toEqual([expect.objectContaining({ operation: 'ping', outcome: 'unavailable' })]);
  });

  it('times each page of a listing, and the pages under a record-at-a-time helper', async () => {
    const seen: number[] = [];
    for await (const n of sut.stream()) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
    expect(calls.map((c) => c.operation)).toEqual(['pages', 'pages']);
  });

  it('never lets a failing listener fail the store call', async () => {
    const events = new StoreCallEvents();
    events.subscribe(() => {
      throw new Error('listener bug');
    });
    await expect(observeStore(new FakePort(), 's3', events).head('k')).resolves.toBe('k');
  });
});
