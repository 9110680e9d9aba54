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
