import { compileFilter, FilterablePoint, valuesAt } from './filter';
import { HttpError } from './http-error';

const UUID_A = '0a000000-0000-4000-8000-000000000001';
const point = (payload: Record<string, unknown>, id: FilterablePoint['id'] = UUID_A): FilterablePoint => ({ id, payload });
const alice = point({ file_id: 'f1', user_id: 'alice', chunk_index: 2, tags: ['x', 'y'], meta: { lang: 'de' } });
const bob = point({ file_id: 'f2', user_id: 'bob', chunk_index: 0, tags: [], note: null }, 7);

describe(compileFilter.name, () => {
  it('matches everything without a filter or with empty clauses', () => {
    expect(compileFilter(undefined)(alice)).toBe(true);
    expect(compileFilter({})(alice)).toBe(true);
    expect(compileFilter({ must: [], should: [], must_not: [] })(alice)).toBe(true);
  });

  it('requires every must, no must_not, and at least one should', () => {
    const sut = compileFilter({
      must: [{ key: 'user_id', match: { value: 'alice' } }],
      must_not: [{ key: 'file_id', match: { value: 'f9' } }],
      should: [
        { key: 'chunk_index', match: { value: 1 } },
        { key: 'chunk_index', match: { value: 2 } },
      ],
    });
    expect(sut(alice)).toBe(true);
    expect(sut(bob)).toBe(false);
    expect(compileFilter({ should: [{ key: 'user_id', match: { value: 'carol' } }] })(alice)).toBe(false);
    expect(compileFilter({ must_not: [{ key: 'user_id', match: { value: 'alice' } }] })(alice)).toBe(false);
  });

  it('accepts a single condition instead of a list', () => {
    expect(compileFilter({ must: { key: 'user_id', match: { value: 'bob' } } })(bob)).toBe(true);
  });

  it('compares match.value strictly by type', () => {
    expect(compileFilter({ must: [{ key: 'chunk_index', match: { value: 2 } }] })(alice)).toBe(true);
    expect(compileFilter({ must: [{ key: 'chunk_index', match: { value: '2' } }] })(alice)).toBe(false);
  });

  it('matches an array field when any element matches, and match.any against any listed value', () => {
    expect(compileFilter({ must: [{ key: 'tags', match: { value: 'y' } }] })(alice)).toBe(true);
    expect(compileFilter({ must: [{ key: 'user_id', match: { any: ['bob', 'carol'] } }] })(bob)).toBe(true);
    expect(compileFilter({ must: [{ key: 'user_id', match: { any: ['bob', 'carol'] } }] })(alice)).toBe(false);
    expect(compileFilter({ must: [{ key: 'tags', match: { any: [] } }] })(alice)).toBe(false);
  });

  it('never matches a missing field, and reads nested keys', () => {
    expect(compileFilter({ must: [{ key: 'absent', match: { value: 'x' } }] })(alice)).toBe(false);
    expect(compileFilter({ must: [{ key: 'meta.lang', match: { value: 'de' } }] })(alice)).toBe(true);
  });

  it('selects by has_id across UUID notations and integer ids', () => {
    const upper = UUID_A.toUpperCase();
    expect(compileFilter({ must: [{ has_id: [upper] }] })(alice)).toBe(true);
    expect(compileFilter({ must: [{ has_id: [7] }] })(bob)).toBe(true);
    expect(compileFilter({ must: [{ has_id: [8] }] })(bob)).toBe(false);
  });

  it('supports range, is_empty, is_null and nested filters', () => {
    expect(compileFilter({ must: [{ key: 'chunk_index', range: { gte: 1, lt: 3 } }] })(alice)).toBe(true);
    expect(compileFilter({ must: [{ key: 'chunk_index', range: { gte: 1 } }] })(bob)).toBe(false);
    expect(compileFilter({ must: [{ is_empty: { key: 'tags' } }] })(bob)).toBe(true);
    expect(compileFilter({ must: [{ is_empty: { key: 'tags' } }] })(alice)).toBe(false);
    expect(compileFilter({ must: [{ is_null: { key: 'note' } }] })(bob)).toBe(true);
    expect(compileFilter({ must: [{ is_null: { key: 'note' } }] })(alice)).toBe(false);
    const nested = { must_not: [{ should: [{ key: 'user_id', match: { value: 'bob' } }] }] };
    expect(compileFilter(nested)(alice)).toBe(true);
    expect(compileFilter(nested)(bob)).toBe(false);
  });

  it('rejects malformed filters up front with a 400', () => {
    const rejects = (filter: unknown) => {
      try {
        compileFilter(filter);
      } catch (error) {
        return error instanceof HttpError && error.status === 400;
      }
      return false;
    };
    expect(rejects({ muss: [] })).toBe(true);
    expect(rejects({ must: [{ key: 'x' }] })).toBe(true);
    expect(rejects({ must: [{ key: 'x', match: { value: 1.5 } }] })).toBe(true);
    expect(rejects({ must: [{ key: 'x', match: { text: 'a' } }] })).toBe(true);
    expect(rejects({ must: [{ has_id: ['not-a-uuid'] }] })).toBe(true);
    expect(rejects('x')).toBe(true);
  });
});

describe(valuesAt.name, () => {
  it('flattens arrays at the leaf and through [] segments', () => {
    const payload = { docs: [{ id: 'a' }, { id: 'b' }], list: [1, 2] };
    expect(valuesAt(payload, 'docs[].id')).toEqual(['a', 'b']);
    expect(valuesAt(payload, 'list')).toEqual([1, 2]);
    expect(valuesAt(payload, 'docs.id')).toEqual([]);
  });
});
