/**
 * Encodes a key for the CopySource header, which S3 URL-decodes (the SDK sends it as is).
 * encodeURIComponent works on code points, so multi-byte and astral characters become
 * their UTF-8 percent escapes; slashes stay readable; RFC 3986 reserved marks are escaped too.
 */
export function encodeCopySourceKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * Decodes a key listed with `EncodingType=url`. We ask for URL-encoded listings because
 * XML 1.0 cannot carry some characters a key may hold (e.g. U+0001); S3 form-encodes
 * spaces as '+' and a literal '+' as %2B.
 */
export function decodeListedKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** S3 keeps checksums base64; the domain speaks hex. Composite (multipart) ones are not file hashes. */
export function checksumToHex(base64: string | undefined, type?: string): string | undefined {
  if (!base64 || base64.includes('-') || (type && type !== 'FULL_OBJECT')) return undefined;
  const bytes = Buffer.from(base64, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}

export function stripEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '');
}
