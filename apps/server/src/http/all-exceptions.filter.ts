import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiErrorBody, ERROR_CATALOGUE, ErrorCode } from '@storesync/contract';
import { DomainError } from '@storesync/core';

/**
 * The code of an HttpException that names none (Nest's own: ValidationPipe, unknown routes,
 * guards, the throttler), by its status. Statuses not listed are 400/500-class generics.
 */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  500: 'internal_error',
  503: 'store_unavailable',
};

/** body-parser's error types, by the code we answer with (its messages are not shown). */
const BODY_PARSER_CODES: Record<string, { code: ErrorCode; message?: string }> = {
  'entity.too.large': { code: 'payload_too_large', message: 'request body is larger than the limit' },
  'entity.parse.failed': { code: 'invalid_json', message: 'request body is not valid JSON' },
  // Our own depth check (request-guards.ts) words its message itself.
  'entity.too.deep': { code: 'json_too_deep' },
  'charset.unsupported': { code: 'unsupported_media_type', message: 'request body charset or encoding is not supported (use UTF-8)' },
  'encoding.unsupported': { code: 'unsupported_media_type', message: 'request body charset or encoding is not supported (use UTF-8)' },
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

/** The error body for a code: status from the catalogue, the reason phrase, the code, the message, extras. */
export function errorBody(code: ErrorCode, message: string, extra: Partial<ApiErrorBody> = {}, status: number = ERROR_CATALOGUE[code].status): ApiErrorBody {
  return { ...extra, statusCode: status, error: reasonPhrase(status), code, message };
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name.toLowerCase().replace(/(^|_)([a-z])/g, (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase());
}

/**
 * Maps every error to HTTP once: a DomainError carries its code, the contract's catalogue gives
 * the status; Nest's and body-parser's own errors get the code of their status; anything
 * unexpected is a generic 500 with a correlation id (the details go to the log only).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (response.headersSent) {
      // A streamed answer (CSV export) failed midway: end it visibly instead of leaving it hanging.
      response.destroy();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    // Express and body-parser errors reach us as HttpExceptions whose cause is the original.
    const bodyError = bodyParserError(exception instanceof HttpException ? exception.cause : exception);
    if (bodyError) return bodyError;
    if (exception instanceof DomainError) return errorBody(exception.code, exception.message, exception.bodyFields);
    if (exception instanceof HttpException) return httpExceptionBody(exception);
    const correlationId = randomUUID();
    this.logger.error({ message: 'unhandled error', correlationId, error: (exception as Error)?.stack ?? String(exception) });
    return errorBody('internal_error', 'internal error; see the server log', { correlation_id: correlationId });
  }
}

/**
 * Nest's exceptions keep their status and their body's fields (`fields`, terminus's health `error`
 * details), and get a code: the one they name when it is in the catalogue, else their status's.
 */
function httpExceptionBody(exception: HttpException): ApiErrorBody {
  const status = exception.getStatus();
  const payload = exception.getResponse();
  const fields: Record<string, unknown> = typeof payload === 'object' && payload !== null ? { ...payload } : {};
  const named = fields.code;
  const code: ErrorCode = isErrorCode(named) ? named : (CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed'));
  const raw = typeof payload === 'string' ? payload : fields.message;
  // class-validator's default exceptions put an array of messages in `message`.
  const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
  const body: ApiErrorBody = { statusCode: status, error: reasonPhrase(status), ...fields, code, message };
  return body;
}

function bodyParserError(exception: unknown): ApiErrorBody | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, type } = exception as { status?: number; type?: string };
  if (typeof status !== 'number' || typeof type !== 'string' || status < 400 || status >= 500) return undefined;
  const known = BODY_PARSER_CODES[type];
  if (known) return errorBody(known.code, known.message ?? (exception as Error).message);
  return errorBody(CODE_OF_STATUS[status] ?? 'validation_failed', 'request body could not be read', {}, status);
}
