import type { Page } from '@storesync/contract';

/**
 * Every item of a keyset-paginated list, page after page, following `next_cursor` until the
 * server says `null`. Pages are fetched lazily: stop iterating and no further page is asked for.
 */
export async function* paginate<P extends Page, T>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
  items: (page: P) => T[],
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* items(page);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}

/** All items of an async iterable in an array (bounded lists only). */
export async function collect<T>(items: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
    if (all.length >= limit) break;
  }
  return all;
}
