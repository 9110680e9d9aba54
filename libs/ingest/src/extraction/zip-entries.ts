/**
 * The declared uncompressed size of every entry of a ZIP archive (DOCX is one), read from
 * its central directory without inflating anything: a bomb is refused before mammoth
 * expands it. Sizes can lie; the worker's memory and time limits back this up.
 */
export function declaredUncompressedBytes(zip: Buffer): number | undefined {
  const EOCD = 0x06054b50;
  const ENTRY = 0x02014b50;
  // The end-of-central-directory record sits in the last 22 + 65,535 bytes.
  const floor = Math.max(0, zip.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = zip.length - 22; i >= floor; i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== ENTRY) return undefined;
    const size = zip.readUInt32LE(offset + 24);
    // ZIP64 marks its sizes 0xffffffff: count them as huge, which is what they are.
    total += size === 0xffffffff ? Number.MAX_SAFE_INTEGER / 2 : size;
    offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return total;
}
