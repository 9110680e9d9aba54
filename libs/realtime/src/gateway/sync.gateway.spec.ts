import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PublishedEvent } from '../realtime.types';
import { DEFAULT_REALTIME_OPTIONS } from '../realtime.options';
import type { EventStreamService, EventSink } from '../bus/event-stream.service';
import type { TokenRevocations } from '../auth/token-revocations';
import type { UserTokenService } from '../auth/user-token.service';
import { OUTBOX_BOUND, SyncGateway } from './sync.gateway';

const event = (seq: number, userId = 'u1'): PublishedEvent =>
  ({ seq, type: 'repair.action', user_id: userId, at: '2026-01-01T00:00:00.000Z', data: {} }) as unknown as PublishedEvent;

/** A gateway on a namespace without sockets that records what it emits, and the sink the stream hands events to. */
function gateway(): { publish: (e: PublishedEvent) => void; sent: () => number[]; frames: string[] } {
  let sink: EventSink | undefined;
  const stream = { subscribe: (s: EventSink) => ((sink = s), () => undefined) } as unknown as EventStreamService;
  const revocations = { onRevoked: () => () => undefined } as unknown as TokenRevocations;
  const sut = new SyncGateway(stream, {} as UserTokenService, revocations, DEFAULT_REALTIME_OPTIONS);
  const seqs: number[] = [];
  const frames: string[] = [];
  const target = {
    emit: (name: string, payload: PublishedEvent | PublishedEvent[]) => {
      frames.push(name);
      seqs.push(...(Array.isArray(payload) ? payload : [payload]).map((e) => e.seq));
    },
    except: () => target,
  };
  const namespace = { use: () => undefined, adapter: { rooms: new Map() }, sockets: new Map(), to: () => target };
  sut.afterInit(namespace as unknown as Parameters<SyncGateway['afterInit']>[0]);
  return { publish: (e) => sink!(e), sent: () => seqs, frames };
}

describe(SyncGateway.name, () => {
  it('sends a burst published in one turn of the event loop as one frame after it', async () => {
    const sut = gateway();
    [1, 2, 3].forEach((seq) => sut.publish(event(seq)));
    expect(sut.sent()).toEqual([]);
    await nextTurn();
    expect(sut.sent()).toEqual([1, 2, 3]);
    expect(sut.frames).toEqual(['events']);
  });

  it('holds at most OUTBOX_BOUND events for a producer that never yields, and sends each once in order', async () => {
    const sut = gateway();
    const total = OUTBOX_BOUND * 4 + 37;
    for (let seq = 1; seq <= total; seq++) sut.publish(event(seq, seq % 3 === 0 ? 'u2' : 'u1'));
    // Still the same turn: everything but the last partial batch is already out.
    expect(sut.sent().length).toBeGreaterThanOrEqual(total - OUTBOX_BOUND);
    await nextTurn();
    expect(sut.sent()).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});
