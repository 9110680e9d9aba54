import { assertValidKey, compareUtf8 } from './keys';
import { InvalidKeyError } from './errors';

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe(compareUtf8.name, () => {
  it('orders characters above U+FFFF after U+E000..U+FFFF, as UTF-8 bytes do', () => {
    const astral = 'a\u{1F600}';
    const privateUse = 'a\uFF21';
    expect(astral < privateUse).toBe(true); // JS UTF-16 order says the opposite
    expect(compareUtf8(astral, privateUse)).toBeGreaterThan(0);
  });

  it('agrees with Buffer.compare on a mixed sample', () => {
    const keys = ['b', 'a/b', 'a\uFFFD', 'a\u{10000}', 'é', 'e', 'a', 'ab', '\u{1F4A9}x', '\uE000', 'Z', ''];
    const byUtf8 = [...keys].sort(utf8Order);
    expect([...keys].sort(compareUtf8)).toEqual(byUtf8);
  });
});

describe(assertValidKey.name, () => {
  it('rejects empty, over-long and lone-surrogate keys', () => {
    expect(() => assertValidKey('', 's3')).toThrow(InvalidKeyError);
    expect(() => assertValidKey('x'.repeat(1025), 's3')).toThrow(/1025 bytes/);
    expect(() => assertValidKey('é'.repeat(513), 's3')).toThrow(/1026 bytes/);
    expect(() => assertValidKey('a\uD800b', 's3')).toThrow(/UTF-8/);
  });

  it('accepts a 1024-byte unicode key', () => {
    expect(() => assertValidKey('é'.repeat(512), 's3')).not.toThrow();
  });
});
