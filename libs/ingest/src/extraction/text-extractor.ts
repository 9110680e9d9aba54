import { Injectable, Logger } from '@nestjs/common';
import { formatOf, readText, baseContentType, type ExtractionResult, type TextFormat } from './read-text';

export { baseContentType, type ExtractionResult, type TextFormat } from './read-text';

/**
 * Turns a file's bytes into text for embedding, on the calling thread: for small,
 * trusted inputs (tests, tools). Uploads and re-embeds go through ExtractionRunner,
 * which runs the same reading in a worker with caps.
 */
@Injectable()
export class TextExtractor {
  private readonly logger = new Logger(TextExtractor.name);

  /** The format this file would be read as, or undefined when it is not read. */
  formatOf(contentType: string | undefined, fileName?: string): TextFormat | undefined {
    return formatOf(contentType, fileName);
  }

  async extract(bytes: Buffer, contentType: string | undefined, fileName?: string): Promise<ExtractionResult> {
    const format = this.formatOf(contentType, fileName);
    if (!format) {
      return { supported: false, text: '', reason: `content type ${baseContentType(contentType) || '(none)'} is not embedded` };
    }
    try {
      const text = await readText(format, bytes);
      return { supported: true, format, text, ...(text.trim() ? {} : { reason: 'no text in the file' }) };
    } catch (error) {
      this.logger.warn({ message: 'text extraction failed', format, fileName, error: (error as Error).message });
      return { supported: true, format, text: '', reason: `could not read the ${format} file: ${(error as Error).message}` };
    }
  }
}
