import { ArgumentsHost, Catch, ExceptionFilter, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import type { ApiErrorBody } from '@storesync/contract';
import type { Response } from 'express';

/** Multer's "File too large" becomes a message that names the limit. */
@Catch(PayloadTooLargeException)
@Injectable()
export class UploadTooLargeFilter implements ExceptionFilter {
  constructor(private readonly config: AppConfig) {}

  catch(_exception: PayloadTooLargeException, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(413)
      .json({
        statusCode: 413,
        error: 'Payload Too Large',
        code: 'payload_too_large',
        message: `file is larger than the upload limit of ${this.config.maxUploadBytes} bytes (MAX_UPLOAD_BYTES)`,
      } satisfies ApiErrorBody);
  }
}
