import { scalarText } from './scalar-text';

describe(scalarText.name, () => {
  it('keeps strings and writes numbers, bigints and booleans as usual', () => {
    expect(scalarText('a b')).toBe('a b');
    expect(scalarText(12.5)).toBe('12.5');
    expect(scalarText(10n)).toBe('10');
    expect(scalarText(false)).toBe('false');
  });

  it('writes objects as JSON, never as [object Object]', () => {
    expect(scalarText({ a: 1 })).toBe('{"a":1}');
    expect(scalarText([1, 'x'])).toBe('[1,"x"]');
  });

  it('gives nothing for null, undefined, symbols and functions', () => {
    expect(scalarText(null)).toBe('');
    expect(scalarText(undefined)).toBe('');
    expect(scalarText(Symbol('s'))).toBe('');
    expect(scalarText(() => 1)).toBe('');
  });
});
