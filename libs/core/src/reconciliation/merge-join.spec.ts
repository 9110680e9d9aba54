import { mergeJoin } from './merge-join';

async function* from<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

async function join(left: string[], right: string[]) {
  const rows: string[] = [];
  for await (const row of mergeJoin(from(left), from(right), (x) => x, (x) => x)) {
    rows.push(`${row.left ?? '-'}|${row.right ?? '-'}`);
  }
  return rows;
}

describe(mergeJoin.name, () => {
  it('pairs equal keys and passes through one-sided ones in order', async () => {
    expect(await join(['a', 'c', 'd'], ['b', 'c', 'e'])).toEqual(['a|-', '-|b', 'c|c', 'd|-', '-|e']);
  });

  it('handles empty sides', async () => {
    expect(await join([], ['x'])).toEqual(['-|x']);
    expect(await join(['x'], [])).toEqual(['x|-']);
    expect(await join([], [])).toEqual([]);
  });

  it('pairs duplicate left keys with the same right item', async () => {
    expect(await join(['k', 'k', 'z'], ['k'])).toEqual(['k|k', 'k|k', 'z|-']);
  });

  it('joins in UTF-8 byte order, where UTF-16 order differs', async () => {
    const astral = 'a\u{1F600}';
    const bmp = 'a\uFF21';
    expect(await join([bmp, astral], [bmp, astral])).toEqual([`${bmp}|${bmp}`, `${astral}|${astral}`]);
  });

  it('refuses a stream that is not sorted', async () => {
    await expect(join(['b', 'a'], [])).rejects.toThrow(/not in UTF-8 byte order/);
  });
});

describe('mergeJoin stopped early', () => {
  it('closes both sources', async () => {
    const closed: string[] = [];
    async function* source(name: string) {
      try {
        for (const key of ['a', 'b', 'c']) yield key;
      } finally {
        closed.push(name);
      }
    }
    for await (const row of mergeJoin(source('left'), source('right'), (x) => x, (x) => x)) if (row.key === 'a') break;
    expect(closed.sort()).toEqual(['left', 'right']);
  });
});
