import type { PublishedEvent } from '../realtime.types';
import { ReplayBuffer } from './replay-buffer';

const event = (seq: number): PublishedEvent => ({ seq, type: 'file.uploaded', user_id: 'u', at: '', data: { file_key: 'k', file_name: 'n' } });

describe(ReplayBuffer.name, () => {
  it('keeps the last `capacity` events and counts the drops', () => {
    const sut = new ReplayBuffer(3);
    for (let seq = 1; seq <= 10; seq++) sut.push(event(seq));
    expect(sut.size).toBe(3);
    expect(sut.dropped).toBe(7);
    expect(sut.since(7, 10)).toEqual({ kind: 'events', events: [event(8), event(9), event(10)] });
  });

  it('replays exactly the events after the last seen one', () => {
    const sut = new ReplayBuffer(10);
    for (let seq = 1; seq <= 5; seq++) sut.push(event(seq));
    expect(sut.since(3, 5)).toEqual({ kind: 'events', events: [event(4), event(5)] });
    expect(sut.since(5, 5)).toEqual({ kind: 'events', events: [] });
    expect(sut.since(0, 5).events).toHaveLength(5);
  });

  it('reports a gap when the missed events were evicted', () => {
    const sut = new ReplayBuffer(2);
    for (let seq = 1; seq <= 5; seq++) sut.push(event(seq));
    expect(sut.since(1, 5)).toEqual({ kind: 'gap', fromSeq: 2, events: [event(4), event(5)] });
    expect(sut.since(2, 5).kind).toBe('gap');
    expect(sut.since(3, 5).kind).toBe('events');
  });

  it('reports a gap for a seq from a previous process', () => {
    const sut = new ReplayBuffer(5);
    sut.push(event(1));
    expect(sut.since(40, 1)).toMatchObject({ kind: 'gap', fromSeq: 41 });
  });

  it('stays bounded over many pushes', () => {
    const sut = new ReplayBuffer(4);
    for (let seq = 1; seq <= 1000; seq++) sut.push(event(seq));
    expect(sut.since(996, 1000).events.map((e) => e.seq)).toEqual([997, 998, 999, 1000]);
    expect(sut.dropped).toBe(996);
  });
});
