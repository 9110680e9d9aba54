import { InvalidKeyError, StoreName } from './errors';

export const MAX_KEY_BYTES = 1024;

/**
 * Rejects keys S3 would refuse or mangle. Lone surrogates are the only way a JS string
 * can fail to be valid UTF-8, so that is what "not valid UTF-8" means here.
 */
export function assertValidKey(key: unknown, store: StoreName): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidKeyError(store, 'key must be a non-empty string');
  }
  if (!key.isWellFormed()) {
    throw new InvalidKeyError(store, 'key is not valid UTF-8 (lone surrogate)');
  }
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new InvalidKeyError(store, `key is ${bytes} bytes, longer than ${MAX_KEY_BYTES}`);
  }
}

/**
 * Orders strings by their UTF-8 bytes, as S3 lists keys and MongoDB compares strings.
 * JS `<` compares UTF-16 code units, which disagrees for characters above U+FFFF
 * against those in U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Surrogates (D800-DFFF) encode code points above FFFF, whose UTF-8 sorts after E000-FFFF.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    // A surrogate stands for a code point above U+FFFF, so it outranks any BMP unit.
    if (sa !== sb) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}

/** Ids the multi-agent backend uses for users: letters, digits and . _ @ -, at most 128, not `.` or `..` (a key segment). */
export const USER_ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._@-]{1,128}$/;
