import { CircuitBreaker, sumRemovals } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  const sut = new CircuitBreaker({ maxPercent: 10, minItems: 100 });

  it('lets a plan through that is large in share but small in count', () => {
    const verdict = sut.evaluate({ s3: 50 }, { s3: 60 }, 'all users');
    expect(verdict.tripped).toBe(false);
    expect(verdict.stores).toEqual([{ store: 's3', removes: 50, total: 60, percent: 83.3, tripped: false }]);
  });

  it('lets a plan through that is large in count but small in share', () => {
    expect(sut.evaluate({ qdrant: 500 }, { qdrant: 10_000 }, 'all users').tripped).toBe(false);
  });

  it('trips when both the share and the count are exceeded, and says why', () => {
    const verdict = sut.evaluate({ s3: 101, qdrant: 5 }, { s3: 120, qdrant: 1000 }, 'user alice');
    expect(verdict.tripped).toBe(true);
    expect(verdict.reason).toMatch(/circuit breaker tripped for user alice/);
    expect(verdict.reason).toMatch(/s3: the plan removes 101 of 120 items \(84.2%\)/);
    expect(verdict.reason).toMatch(/SYNC_MAX_DELETE_PERCENT=10%/);
    expect(verdict.reason).not.toMatch(/qdrant/);
  });

  it('is exclusive at both limits', () => {
    const edge = new CircuitBreaker({ maxPercent: 10, minItems: 10 });
    expect(edge.evaluate({ s3: 10 }, { s3: 10 }, 'x').tripped).toBe(false);
    expect(edge.evaluate({ s3: 11 }, { s3: 110 }, 'x').tripped).toBe(false);
    expect(edge.evaluate({ s3: 12 }, { s3: 110 }, 'x').tripped).toBe(true);
  });

  it('trips when the store could not be counted or is empty', () => {
    expect(sut.evaluate({ s3: 101 }, { s3: undefined }, 'x').reason).toMatch(/could not be counted/);
    expect(sut.evaluate({ s3: 101 }, { s3: 0 }, 'x').tripped).toBe(true);
  });

  it('counts only stores whose removals exceed the minimum', () => {
    expect(sut.storesToCount({ s3: 101, qdrant: 100 })).toEqual(['s3']);
  });

  it('sums removals per store', () => {
    expect(sumRemovals([{ s3: 1 }, { s3: 1, qdrant: 4 }, {}])).toEqual({ s3: 2, qdrant: 4 });
  });
});
