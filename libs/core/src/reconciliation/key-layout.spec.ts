import { KeyLayout } from './key-layout';

describe(KeyLayout.name, () => {
  it("reads storesync's own layout: the first segment is the user", () => {
    const sut = new KeyLayout();
    expect(sut.userOf('alice/f1/a.txt')).toBe('alice');
    expect(sut.userOf('no-slash')).toBe('');
    expect(sut.userPrefix('alice')).toBe('alice/');
  });

  it('finds the user under a tenant prefix and lists only that prefix for one user', () => {
    const sut = new KeyLayout('^tenants\\/acme\\/(?<user_id>[^/]+)/');
    expect(sut.userOf('tenants/acme/bob/x.pdf')).toBe('bob');
    expect(sut.userOf('thumbnails/bob/x.png')).toBe('');
    expect(sut.userPrefix('bob')).toBe('tenants/acme/bob/');
  });

  it('gives no prefix when the pattern before the user is not plain text', () => {
    expect(new KeyLayout('^[a-z]+/(?<user_id>[^/]+)/').userPrefix('bob')).toBeUndefined();
    expect(new KeyLayout('(?<user_id>[^/]+)/files/').userPrefix('bob')).toBeUndefined();
    expect(new KeyLayout('^t\\d/(?<user_id>[^/]+)/').userPrefix('bob')).toBeUndefined();
    expect(new KeyLayout('^files/(?<user_id>[a-z]+)-').userOf('files/bob-1.txt')).toBe('bob');
  });

  it('ignores keys under the ignored prefixes only', () => {
    const sut = new KeyLayout(undefined, ['thumbnails/', 'exports/']);
    expect(sut.ignored('thumbnails/a.png')).toBe(true);
    expect(sut.ignored('exports/2024/x.csv')).toBe(true);
    expect(sut.ignored('alice/thumbnails/a.png')).toBe(false);
  });
});
