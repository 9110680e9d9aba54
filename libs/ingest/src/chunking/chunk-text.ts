export interface ChunkingOptions {
  size: number;
  overlap: number;
}

/** Where a chunk may end: after whitespace or sentence punctuation, searched in the last fifth of the window. */
const BREAK = /[\s.!?;,]/u;

/**
 * Splits text into chunks of at most `size` characters, consecutive chunks sharing
 * `overlap` characters, ending on a word boundary when one is near. Never splits a
 * surrogate pair. Whitespace-only text gives no chunks.
 */
export function chunkText(text: string, options: ChunkingOptions): string[] {
  const { size, overlap } = options;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw new RangeError(`chunk overlap must be an integer in [0, size), got ${overlap}`);
  }
  const normalized = text.replace(/\r\n?/g, '\n').trim();
  if (normalized.length === 0) return [];
  const chunks: string[] = [];
  let start = 0;
  while (start < normalized.length) {
    let end = Math.min(start + size, normalized.length);
    if (end < normalized.length) {
      const floor = start + Math.max(1, Math.floor(size * 0.8));
      for (let i = end; i > floor; i--) {
        if (BREAK.test(normalized[i - 1])) {
          end = i;
          break;
        }
      }
      end = avoidSurrogateSplit(normalized, end);
    }
    const chunk = normalized.slice(start, end).trim();
    if (chunk.length > 0) chunks.push(chunk);
    if (end >= normalized.length) break;
    const next = avoidSurrogateSplit(normalized, Math.max(end - overlap, start + 1));
    start = next > start ? next : end;
  }
  return chunks;
}

function avoidSurrogateSplit(text: string, index: number): number {
  const code = text.charCodeAt(index);
  // index points at a low surrogate: the pair started one unit earlier.
  return code >= 0xdc00 && code <= 0xdfff && index > 0 ? index - 1 : index;
}
