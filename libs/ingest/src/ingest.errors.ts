import { DomainError } from '@storesync/core';

export class FileNotFoundError extends DomainError {
  constructor(readonly fileId: string) {
    super('not_found', `file ${fileId} not found`);
  }
}

export class FileInactiveError extends DomainError {
  constructor(readonly fileId: string) {
    super('conflict', `file ${fileId} is deleted`);
  }
}

/** A file whose extraction hit a cap (characters, chunks, time, memory): refused, nothing stored. */
export class ExtractionLimitError extends DomainError {
  constructor(
    /** The setting to raise, e.g. EXTRACT_MAX_CHARS. */
    readonly limit: string,
    message: string,
  ) {
    super('extraction_limit', message, { limit });
  }
}
