import { htmlToText } from './html-to-text';

// Pure reading of a file's bytes into text: no Nest, so the extraction worker can load it.

export type TextFormat = 'plain' | 'markdown' | 'json' | 'csv' | 'html' | 'pdf' | 'docx';

export interface ExtractionResult {
  /** False when the type is one the pipeline does not read (stored, not embedded). */
  supported: boolean;
  format?: TextFormat;
  text: string;
  /** Why no text came out: unsupported type or unreadable content. */
  reason?: string;
}

const BY_CONTENT_TYPE: Record<string, TextFormat> = {
  'text/plain': 'plain',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'application/json': 'json',
  'text/csv': 'csv',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

const BY_EXTENSION: Record<string, TextFormat> = {
  txt: 'plain',
  text: 'plain',
  md: 'markdown',
  markdown: 'markdown',
  json: 'json',
  csv: 'csv',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
  docx: 'docx',
};

/** Content types browsers and clients send when they do not know better. */
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** The type without parameters, lower-cased: `text/plain; charset=utf-8` → `text/plain`. */
export function baseContentType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** The format a file would be read as, or undefined when it is not read. */
export function formatOf(contentType: string | undefined, fileName?: string): TextFormat | undefined {
  const type = baseContentType(contentType);
  const byType = BY_CONTENT_TYPE[type];
  if (byType) return byType;
  if (!GENERIC_TYPES.has(type)) return undefined;
  const extension = fileName?.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase() : '';
  return BY_EXTENSION[extension];
}

/** Text formats need no dependency; PDF goes through unpdf (PDF.js) and DOCX through mammoth, both pure JavaScript. */
export async function readText(format: TextFormat, bytes: Buffer): Promise<string> {
  switch (format) {
    case 'plain':
    case 'markdown':
    case 'json':
    case 'csv':
      return decodeUtf8(bytes);
    case 'html':
      return htmlToText(decodeUtf8(bytes));
    case 'pdf':
      return readPdf(bytes);
    case 'docx':
      return readDocx(bytes);
  }
}

function decodeUtf8(bytes: Buffer): string {
  // TextDecoder drops a leading BOM and replaces invalid sequences instead of throwing.
  return new TextDecoder('utf-8').decode(bytes);
}

async function readPdf(bytes: Buffer): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  // PDF.js takes ownership of the array it is given: pass a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  try {
    const { text } = await extractText(pdf, { mergePages: true });
    return text;
  } finally {
    await pdf.destroy();
  }
}

async function readDocx(bytes: Buffer): Promise<string> {
  const mammoth = await import('mammoth');
  const { value } = await mammoth.extractRawText({ buffer: bytes });
  return value;
}
