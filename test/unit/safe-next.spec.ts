import { safeNext } from '../../apps/admin/src/lib/safe-next';

describe(safeNext.name, () => {
  const origin = 'http://localhost:3000';

  it.each([
    ['/%5Chost', '/\\host'],
    ['/%09/host', '/\t/host'],
    ['//host', '//host'],
    ['/\\evil.example', '/\\evil.example'],
    ['https://evil.example/', 'https://evil.example/'],
    ['javascript:alert(1)', 'javascript:alert(1)'],
    ['/\t/evil.example', '/\t/evil.example'],
    ['/\n/evil.example', '/\n/evil.example'],
  ])('refuses %s (decoded %j)', (_raw, decoded) => {
    // URLSearchParams.get hands over the decoded value.
    expect(safeNext(decodeURIComponent(encodeURIComponent(decoded)), origin)).toBe('/');
  });

  it.each([
    ['/users/view/?user_id=alice', '/users/view/?user_id=alice'],
    ['/issues#open', '/issues#open'],
    ['/', '/'],
  ])('keeps the same-origin path %s', (next, expected) => {
    expect(safeNext(next, origin)).toBe(expected);
  });

  it('refuses nothing at all and relative paths', () => {
    expect(safeNext(null, origin)).toBe('/');
    expect(safeNext('users', origin)).toBe('/');
  });
});
