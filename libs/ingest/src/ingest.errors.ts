export class FileNotFoundError extends Error {
  constructor(readonly fileId: string) {
    super(`file ${fileId} not found`);
    this.name = 'FileNotFoundError';
  }
}

export class FileInactiveError extends Error {
  constructor(readonly fileId: string) {
    super(`file ${fileId} is deleted`);
    this.name = 'FileInactiveError';
  }
}
