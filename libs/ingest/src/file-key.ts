const MAX_NAME_BYTES = 200;

/** A file name safe as the last segment of an S3 key: no path, no control or reserved characters, ≤ 200 bytes. */
export function safeFileName(fileName: string): string {
  const base = fileName.normalize('NFC').split(/[\\/]/).pop() ?? '';
  let safe = base
    .replace(/[^\p{L}\p{N}._ -]/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .trim()
    .replace(/^\.+/, '');
  while (Buffer.byteLength(safe, 'utf8') > MAX_NAME_BYTES) safe = Array.from(safe).slice(0, -1).join('');
  return safe || 'file';
}

/** `<user_id>/<file_id>/<safe file name>`. */
export function fileKeyFor(userId: string, fileId: string, fileName: string): string {
  return `${userId}/${fileId}/${safeFileName(fileName)}`;
}
