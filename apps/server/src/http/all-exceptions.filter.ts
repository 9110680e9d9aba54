import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AnalysisAlreadyRunningError, FileNotKnownError, InvalidCursorError, RunNotFoundError, UserNotFoundError } from '@storesync/analysis';
import { StoreError, StoreErrorCode } from '@storesync/core';
import {
  CircuitBreakerTrippedError,
  NotQuarantinedError,
  PartialRunIssuesError,
  PlanExpiredError,
  PlanNotFoundError,
  QuarantinedObjectNotFoundError,
  RestoreTargetExistsError,
} from '@storesync/repair';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  [extra: string]: unknown;
}

/** The code a body gets when the error that made it named none (until every error carries its own). */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
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

/** Maps domain errors to HTTP once; anything unexpected is a generic 500 with a correlation id. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    body.code ??= CODE_BY_STATUS[body.statusCode] ?? (body.statusCode >= 500 ? 'internal_error' : 'invalid_request');
    if (response.headersSent) {
      // A streamed answer (CSV export) failed midway: end it visibly instead of leaving it hanging.
      response.destroy();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    // Express and body-parser errors reach us as HttpExceptions whose cause is the original.
    const bodyError = bodyParserError(exception instanceof HttpException ? exception.cause : exception);
    if (bodyError) return bodyError;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const base = { statusCode: status, error: HttpStatus[status]?.replace(/_/g, ' ') ?? 'Error' };
      return typeof payload === 'string' ? { ...base, message: payload } : { ...base, ...(payload as object), statusCode: status } as ErrorBody;
    }
    if (exception instanceof AnalysisAlreadyRunningError) {
      return { statusCode: 409, error: 'Conflict', message: exception.message, run_id: exception.runId };
    }
    if (exception instanceof UserNotFoundError || exception instanceof RunNotFoundError || exception instanceof FileNotKnownError) {
      return { statusCode: 404, error: 'Not Found', message: exception.message };
    }
    if (exception instanceof PartialRunIssuesError) {
      return { statusCode: 409, error: 'Conflict', message: exception.message, reason: 'partial_run', issue_ids: exception.issueIds };
    }
    if (exception instanceof CircuitBreakerTrippedError) {
      return { statusCode: 409, error: 'Conflict', message: exception.message, reason: 'circuit_breaker' };
    }
    if (exception instanceof PlanExpiredError || exception instanceof RestoreTargetExistsError) {
      return { statusCode: 409, error: 'Conflict', message: exception.message };
    }
    if (exception instanceof PlanNotFoundError || exception instanceof QuarantinedObjectNotFoundError) {
      return { statusCode: 404, error: 'Not Found', message: exception.message };
    }
    if (exception instanceof NotQuarantinedError) {
      return { statusCode: 400, error: 'Bad Request', message: exception.message, fields: [{ field: 'key', message: exception.message }] };
    }
    if (exception instanceof InvalidCursorError) {
      return { statusCode: 400, error: 'Bad Request', message: `cursor: ${exception.message}`, fields: [{ field: 'cursor', message: exception.message }] };
    }
    if (exception instanceof StoreError) {
      switch (exception.code) {
        case StoreErrorCode.Unavailable:
          return { statusCode: 503, error: 'Service Unavailable', message: exception.message, store: exception.store };
        case StoreErrorCode.NotFound:
          return { statusCode: 404, error: 'Not Found', message: exception.message };
        case StoreErrorCode.InvalidKey:
        case StoreErrorCode.Invalid:
          return { statusCode: 400, error: 'Bad Request', message: exception.message };
        case StoreErrorCode.Conflict:
          return { statusCode: 409, error: 'Conflict', message: exception.message };
      }
    }
    const correlationId = randomUUID();
    this.logger.error({ message: 'unhandled error', correlationId, error: (exception as Error)?.stack ?? String(exception) });
    return { statusCode: 500, error: 'Internal Server Error', message: 'internal error; see the server log', correlation_id: correlationId };
  }
}

/** body-parser's own errors (size, syntax, charset, depth) as 4xx bodies in our words; its messages are not shown. */
function bodyParserError(exception: unknown): ErrorBody | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, type } = exception as { status?: number; type?: string };
  if (typeof status !== 'number' || typeof type !== 'string' || status < 400 || status >= 500) return undefined;
  if (status === 413) return { statusCode: 413, error: 'Payload Too Large', message: 'request body is larger than the limit', code: 'payload_too_large' };
  if (type === 'entity.parse.failed') return { statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON', code: 'invalid_json' };
  if (type === 'entity.too.deep') {
    return { statusCode: 400, error: 'Bad Request', message: (exception as Error).message, code: 'json_too_deep' };
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return { statusCode: 415, error: 'Unsupported Media Type', message: 'request body charset or encoding is not supported (use UTF-8)', code: 'unsupported_media_type' };
  }
  return { statusCode: status, error: HttpStatus[status]?.replace(/_/g, ' ') ?? 'Error', message: 'request body could not be read' };
}
