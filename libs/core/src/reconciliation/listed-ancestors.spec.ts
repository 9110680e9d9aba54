import { ListedAncestors } from './listed-ancestors';

describe(ListedAncestors.name, () => {
  it('finds a listed object whose key is a folder of an unlisted key', () => {
    const sut = new ListedAncestors();
    sut.listed('q/a');
    sut.listed('q/a-c');
    expect(sut.hasListedAncestor('q/a/b')).toBe(true);
    expect(sut.hasListedAncestor('q/a/b/c')).toBe(true);
  });

  it('does not take a shared beginning for a folder', () => {
    const sut = new ListedAncestors();
    sut.listed('q/a');
    expect(sut.hasListedAncestor('q/ab')).toBe(false);
    expect(sut.hasListedAncestor('q/a.txt')).toBe(false);
  });

  it('answers for the latest listed keys as the listing moves on', () => {
    const sut = new ListedAncestors();
    sut.listed('r/m');
    expect(sut.hasListedAncestor('r/m/x')).toBe(true);
    sut.listed('r/n');
    expect(sut.hasListedAncestor('r/n/x')).toBe(true);
    expect(sut.hasListedAncestor('r/o/x')).toBe(false);
    expect(sut.hasListedAncestor('s/1')).toBe(false);
  });

  it('keeps every level of a deep chain', () => {
    const sut = new ListedAncestors();
    for (const key of ['d', 'd/e', 'd/e/f']) sut.listed(key);
    expect(sut.hasListedAncestor('d/e/f/g')).toBe(true);
    expect(sut.hasListedAncestor('d/e/z')).toBe(true);
    expect(sut.hasListedAncestor('d/z')).toBe(true);
    expect(sut.hasListedAncestor('e/a')).toBe(false);
  });

  it('works on keys outside the basic plane', () => {
    const sut = new ListedAncestors();
    sut.listed('u/\u{1F600}');
    expect(sut.hasListedAncestor('u/\u{1F600}/x')).toBe(true);
    expect(sut.hasListedAncestor('u/\u{1F600}\u{1F600}')).toBe(false);
  });
});
