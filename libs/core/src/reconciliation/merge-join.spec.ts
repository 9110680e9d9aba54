import { mergeJoinPages } from './merge-join';

/** The items as pages of `size` (an empty page between each, as a store may send). */
async function* pages<T>(items: T[], size: number): AsyncIterable<T[]> {
  for (let i = 0; i < items.length; i += size) {
    yield items.slice(i, i + size);
    yield [];
  }
}

async function join(left: string[], right: string[], leftPage = 2, rightPage = 3) {
  const rows: string[] = [];
  for await (const page of mergeJoinPages(
    pages(left, leftPage),
    pages(right, rightPage),
    (x) => x,
    (x) => x,
  )) {
    expect(page.length).toBeGreaterThan(0);
    for (const row of page) rows.push(`${row.left ?? '-'}|${row.right ?? '-'}`);
  }
  return rows;
}

describe(mergeJoinPages.name, () => {
  it('pairs equal keys and passes through one-sided ones in order', async () => {
    expect(await join(['a', 'c', 'd'], ['b', 'c', 'e'])).toEqual(['a|-', '-|b', 'c|c', 'd|-', '-|e']);
  });

  it('gives the same rows whatever the page sizes', async () => {
    const left = Array.from({ length: 50 }, (_, i) => `k${String(i * 2).padStart(3, '0')}`);
    const right = Array.from({ length: 50 }, (_, i) => `k${String(i * 3).padStart(3, '0')}`);
    const expected = await join(left, right, 1000, 1000);
    expect(expected).toHaveLength(50 + 50 - 17);
    for (const [l, r] of [
      [1, 1],
      [1, 7],
      [7, 1],
      [4, 9],
      [50, 3],
    ])
      expect(await join(left, right, l, r)).toEqual(expected);
  });

  it('handles empty sides', async () => {
    expect(await join([], ['x'])).toEqual(['-|x']);
    expect(await join(['x'], [])).toEqual(['x|-']);
    expect(await join([], [])).toEqual([]);
  });

  it('pairs duplicate left keys with the same right item, across pages', async () => {
    expect(await join(['k', 'k', 'k', 'z'], ['k'], 1, 1)).toEqual(['k|k', 'k|k', 'k|k', 'z|-']);
  });

  it('joins in UTF-8 byte order, where UTF-16 order differs', async () => {
    const astral = 'a\u{1F600}';
    const bmp = 'a\uFF21';
    expect(await join([bmp, astral], [bmp, astral])).toEqual([`${bmp}|${bmp}`, `${astral}|${astral}`]);
  });

  it('refuses a stream that is not sorted, within a page or across pages', async () => {
    await expect(join(['b', 'a'], [], 2)).rejects.toThrow(/left stream is not in UTF-8 byte order/);
    await expect(join([], ['b', 'a'], 2, 1)).rejects.toThrow(/right stream is not in UTF-8 byte order/);
  });

  it('hands over the rows it has before waiting for a next page', async () => {
    let releaseSecondPage!: () => void;
    const secondPage = new Promise<void>((resolve) => (releaseSecondPage = resolve));
    async function* slowLeft(): AsyncIterable<string[]> {
      yield ['a', 'b'];
      await secondPage;
      yield ['d'];
    }
    const sut = mergeJoinPages(
      slowLeft(),
      pages(['b', 'c'], 10),
      (x) => x,
      (x) => x,
    );
    const first = await sut.next();
    expect((first.value as { key: string }[]).map((row) => row.key)).toEqual(['a', 'b']);
    releaseSecondPage();
    const rest: string[] = [];
    for await (const page of sut) rest.push(...page.map((row) => row.key));
    expect(rest).toEqual(['c', 'd']);
  });
});

describe('mergeJoinPages stopped early', () => {
  it('closes both sources', async () => {
    const closed: string[] = [];
    async function* source(name: string) {
      try {
        for (const key of ['a', 'b', 'c']) yield [key];
      } finally {
        closed.push(name);
      }
    }
    for await (const page of mergeJoinPages(
      source('left'),
      source('right'),
      (x) => x,
      (x) => x,
    ))
      if (page[0].key === 'a') break;
    expect(closed.sort()).toEqual(['left', 'right']);
  });
});
