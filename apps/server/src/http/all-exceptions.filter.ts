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
  [extra: string]: unknown;
}

/** Maps domain errors to HTTP once; anything unexpected is a generic 500 with a correlation id. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
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
    const status = (exception as { status?: number; type?: string }).status;
    if (status === 413) return { statusCode: 413, error: 'Payload Too Large', message: 'request body is larger than the limit' };
    if (status === 400 && (exception as { type?: string }).type === 'entity.parse.failed') {
      return { statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON' };
    }
    const correlationId = randomUUID();
    this.logger.error({ message: 'unhandled error', correlationId, error: (exception as Error)?.stack ?? String(exception) });
    return { statusCode: 500, error: 'Internal Server Error', message: 'internal error; see the server log', correlation_id: correlationId };
  }
}
