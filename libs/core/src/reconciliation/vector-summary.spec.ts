import type { PointRef } from '../vector-point';
import { VectorSummaryMap } from './vector-summary';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

function point(fileId: string, overrides: Partial<PointRef> = {}): PointRef {
  return { id: `${fileId}-p`, fileId, userId: 'u1', chunkIndex: 0, chunkCount: 2, contentHash: H1, model: 'm1', ...overrides };
}

describe(VectorSummaryMap.name, () => {
  it('folds agreeing points into one summary per file', () => {
    const sut = new VectorSummaryMap();
    sut.add([point('f1'), point('f1', { chunkIndex: 1 }), point('f2', { userId: 'u2', chunkCount: 1, model: undefined })]);
    expect(sut.size).toBe(2);
    expect(sut.pointCount).toBe(3);
    expect(sut.take('f1')).toEqual({ fileId: 'f1', userId: 'u1', points: 2, contentHashes: [H1], chunkCounts: [2], models: ['m1'] });
    expect(sut.take('f1')).toBeUndefined();
    expect([...sut.remaining()]).toEqual([{ fileId: 'f2', userId: 'u2', points: 1, contentHashes: [H1], chunkCounts: [1], models: [] }]);
  });

  it('keeps every distinct value of points that disagree', () => {
    const sut = new VectorSummaryMap();
    sut.add([point('f1'), point('f1', { contentHash: H2, chunkCount: 3, model: 'm2' }), point('f1', { contentHash: H2 })]);
    expect(sut.take('f1')).toEqual({ fileId: 'f1', userId: 'u1', points: 3, contentHashes: [H1, H2], chunkCounts: [2, 3], models: ['m1', 'm2'] });
  });

  it('keeps hashes that are not hex SHA-256 as they are', () => {
    const sut = new VectorSummaryMap();
    sut.add([point('f1', { contentHash: '' }), point('f1', { contentHash: '', chunkCount: -1 })]);
    expect(sut.take('f1')).toMatchObject({ points: 2, contentHashes: [''], chunkCounts: [2, -1] });
  });

  it('grows past its first capacity without losing a file', () => {
    const sut = new VectorSummaryMap();
    const n = 5000;
    sut.add(Array.from({ length: n }, (_, i) => point(`f${i}`, { contentHash: i.toString(16).padStart(64, '0'), userId: `u${i % 7}` })));
    expect(sut.size).toBe(n);
    expect(sut.take('f4321')).toMatchObject({ userId: 'u2', contentHashes: [(4321).toString(16).padStart(64, '0')], points: 1 });
    expect(sut.take('f0')).toMatchObject({ contentHashes: ['0'.repeat(64)] });
  });
});
