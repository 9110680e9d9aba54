import type { NextFunction, Request, Response } from 'express';

/** Deeper JSON than this is refused before it reaches validation (class-transformer recurses per level). */
export const MAX_JSON_DEPTH = 32;

/** Thrown from body-parser's `verify`: body-parser passes it on with its status and type. */
class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
  constructor(limit: number) {
    super(`request body is nested deeper than ${limit} levels`);
  }
}

/**
 * body-parser `verify`: counts bracket depth on the raw bytes (strings skipped) so a
 * 3,000-deep body is refused in one linear pass, before JSON.parse builds it.
 */
export function verifyJsonDepth(limit = MAX_JSON_DEPTH) {
  return (_req: unknown, _res: unknown, buffer: Buffer): void => {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < buffer.length; i++) {
      const byte = buffer[i];
      if (inString) {
        if (byte === 0x5c)
          i++; // backslash: skip the escaped byte
        else if (byte === 0x22) inString = false;
      } else if (byte === 0x22) inString = true;
      else if (byte === 0x7b || byte === 0x5b) {
        if (++depth > limit) throw new JsonTooDeepError(limit);
      } else if (byte === 0x7d || byte === 0x5d) depth--;
    }
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function unsupported(res: Response, message: string): void {
  res.status(415).json({ statusCode: 415, error: 'Unsupported Media Type', code: 'unsupported_media_type', message });
}

/**
 * A body on an API route must be JSON, or multipart/form-data on the upload route: a
 * text/plain body used to be ignored silently and a global analysis ran instead (415).
 */
export function requireApiContentType(req: Request, res: Response, next: NextFunction): void {
  if (!req.path.startsWith('/api/') || ['GET', 'HEAD', 'OPTIONS'].includes(req.method) || !hasBody(req)) return next();
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const upload = req.method === 'POST' && /^\/api\/files\/?$/.test(req.path);
  if (upload) {
    if (type === 'multipart/form-data') return next();
    return unsupported(res, `content-type must be multipart/form-data for an upload, got ${type ? JSON.stringify(type.slice(0, 100)) : 'none'}`);
  }
  if (type === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type)) return next();
  unsupported(res, `content-type must be application/json, got ${type ? JSON.stringify(type.slice(0, 100)) : 'none'}`);
}
