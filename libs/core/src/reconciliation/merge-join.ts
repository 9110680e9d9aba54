import { compareUtf8 } from '../keys';

export type JoinRow<L, R> = { key: string; left: L | null; right: R | null };

/**
 * Joins two streams each sorted by key in UTF-8 byte order, yielding one row per key
 * (left-only, right-only or both) as soon as it is known. Holds one item of each side.
 * Several left items may share a key; each then pairs with the same right item.
 */
export async function* mergeJoin<L, R>(
  left: AsyncIterable<L>,
  right: AsyncIterable<R>,
  leftKey: (item: L) => string,
  rightKey: (item: R) => string,
): AsyncGenerator<JoinRow<L, R>> {
  const l = sortedCheck(left[Symbol.asyncIterator](), leftKey, 'left');
  const r = sortedCheck(right[Symbol.asyncIterator](), rightKey, 'right');
  try {
    let a = await l.next();
    let b = await r.next();
    let lastRightKey: string | null = null;
    let lastRight: R | null = null;
    while (!a.done || !b.done) {
      if (!a.done && lastRightKey !== null && leftKey(a.value) === lastRightKey) {
        yield { key: lastRightKey, left: a.value, right: lastRight };
        a = await l.next();
        continue;
      }
      if (b.done) {
        yield { key: leftKey(a.value as L), left: a.value as L, right: null };
        a = await l.next();
        continue;
      }
      if (a.done) {
        yield { key: rightKey(b.value), left: null, right: b.value };
        b = await r.next();
        continue;
      }
      const order = compareUtf8(leftKey(a.value), rightKey(b.value));
      if (order < 0) {
        yield { key: leftKey(a.value), left: a.value, right: null };
        a = await l.next();
      } else if (order > 0) {
        yield { key: rightKey(b.value), left: null, right: b.value };
        b = await r.next();
      } else {
        lastRightKey = rightKey(b.value);
        lastRight = b.value;
        yield { key: lastRightKey, left: a.value, right: b.value };
        a = await l.next();
        b = await r.next();
      }
    }
  } finally {
    // Stopping early (a timeout, a consumer that breaks) must close both sources.
    await Promise.all([l.return?.(), r.return?.()]);
  }
}

/** A store that sorts differently (a collation, a bug) would silently pair wrong rows: fail loudly. */
function sortedCheck<T>(it: AsyncIterator<T>, key: (item: T) => string, side: string): AsyncIterator<T> {
  let previous: string | null = null;
  return {
    return: (value?: unknown) => it.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
    async next() {
      const step = await it.next();
      if (!step.done) {
        const current = key(step.value);
        if (previous !== null && compareUtf8(previous, current) > 0) {
          throw new Error(`mergeJoin: ${side} stream is not in UTF-8 byte order ("${previous}" before "${current}")`);
        }
        previous = current;
      }
      return step;
    },
  };
}
