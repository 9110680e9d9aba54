/** An error answered with Qdrant's error envelope and status code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, `Wrong input: ${message}`);
export const formatError = (message: string) => new HttpError(400, `Format error in JSON body: ${message}`);
export const collectionNotFound = (name: string) => new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
