import { chunkText } from './chunk-text';

describe(chunkText.name, () => {
  it('gives no chunks for empty or whitespace-only text', () => {
    expect(chunkText('', { size: 10, overlap: 2 })).toEqual([]);
    expect(chunkText(' \n\t ', { size: 10, overlap: 2 })).toEqual([]);
  });

  it('keeps short text as one chunk', () => {
    expect(chunkText('  hello world  ', { size: 100, overlap: 10 })).toEqual(['hello world']);
  });

  it('bounds every chunk by size and covers the whole text', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    const sut = chunkText(text, { size: 120, overlap: 30 });
    expect(sut.length).toBeGreaterThan(10);
    for (const chunk of sut) expect(chunk.length).toBeLessThanOrEqual(120);
    for (const word of words) expect(sut.some((c) => c.split(' ').includes(word))).toBe(true);
  });

  it('shares the overlap between consecutive chunks', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz'.repeat(4);
    const sut = chunkText(text, { size: 20, overlap: 5 });
    for (let i = 1; i < sut.length; i++) {
      expect(sut[i].startsWith(sut[i - 1].slice(-5))).toBe(true);
    }
    expect(sut.join('').replace(/(.)/g, '$1').length).toBeGreaterThanOrEqual(text.length);
  });

  it('ends chunks on a word boundary when one is near', () => {
    const sut = chunkText('alpha beta gamma delta epsilon zeta eta theta', { size: 12, overlap: 0 });
    for (const chunk of sut) expect(chunk).toMatch(/^\S(.*\S)?$/);
    expect(sut[0]).toBe('alpha beta');
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(50);
    const sut = chunkText(text, { size: 7, overlap: 2 });
    for (const chunk of sut) expect(chunk.isWellFormed()).toBe(true);
    expect(sut.join('')).toContain('😀');
  });

  it('terminates with the largest overlap allowed', () => {
    const sut = chunkText('x'.repeat(100), { size: 10, overlap: 9 });
    expect(sut.length).toBeGreaterThan(0);
    expect(sut.length).toBeLessThanOrEqual(100);
  });

  it('rejects an overlap not smaller than the size', () => {
    expect(() => chunkText('abc', { size: 10, overlap: 10 })).toThrow(RangeError);
    expect(() => chunkText('abc', { size: 0, overlap: 0 })).toThrow(RangeError);
  });
});
