import { BadRequestException, Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { AppConfig } from '@storesync/config';
import { FileNotFoundError, FilePipelineService } from '@storesync/ingest';
import type { Request, Response } from 'express';
import { FilesQueryDto } from './files-query.dto';
import { fileView } from './file.view';
import { FileIdPipe } from '../http/id-params';
import { readMultipartUpload } from './multipart-upload';
import { UserAccess } from '../auth/user-access.decorator';
import { invalidField, requireUserId } from '../http/user-id';

@Controller('api/files')
export class FilesController {
  constructor(
    private readonly pipeline: FilePipelineService,
    private readonly config: AppConfig,
  ) {}

  /**
   * 201 when every step is done; 207 with `steps` when a store failed midway; 413 over a
   * multipart limit, 422 when the file's text is over an extraction cap (nothing stored).
   */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['user_id', 'file'],
      additionalProperties: false,
      properties: { user_id: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,128}$' }, file: { type: 'string', format: 'binary' } },
    },
  })
  async upload(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    let upload;
    try {
      upload = await readMultipartUpload(req, this.config.maxUploadBytes);
    } catch (error) {
      // The rest of a refused body is not read: the connection cannot be reused.
      res.setHeader('Connection', 'close');
      throw error;
    }
    try {
      const userId = requireUserId(upload.fields.user_id);
      if (!upload.file) throw invalidField('file', 'file is required (multipart field "file")');
      const result = await this.pipeline.upload({ userId, fileName: upload.file.fileName, contentType: upload.file.contentType, file: upload.file });
      res.status(result.ok ? HttpStatus.CREATED : HttpStatus.MULTI_STATUS);
      return {
        ...fileView(result.record),
        steps: result.steps,
        embedded: result.embedding.embedded,
        chunks: result.embedding.chunks,
        ...(result.embedding.reason ? { not_embedded_reason: result.embedding.reason } : {}),
        ...(result.error ? { failed_step: result.error.step, error: result.error.message } : {}),
      };
    } finally {
      await upload.discard();
    }
  }

  /** 200 when every step is done; 207 with `steps` when a store failed midway (repeat to finish). */
  @Delete(':file_id')
  async remove(@Param('file_id', FileIdPipe) fileId: string, @Res({ passthrough: true }) res: Response) {
    try {
      const result = await this.pipeline.delete(fileId);
      res.status(result.ok ? HttpStatus.OK : HttpStatus.MULTI_STATUS);
      return {
        file_id: result.fileId,
        file_key: result.fileKey,
        steps: result.steps,
        ...(result.error ? { failed_step: result.error.step, error: result.error.message } : {}),
      };
    } catch (error) {
      if (error instanceof FileNotFoundError) throw new NotFoundException('file not found');
      throw error;
    }
  }

  /** A page of the user's files in key order; `next_cursor` (null on the last page) asks for the next. */
  @Get()
  @HttpCode(HttpStatus.OK)
  @UserAccess({ user: ['query.user_id'], description: 'with user_id set to its own user' })
  async list(@Query() query: FilesQueryDto) {
    const page = await this.pipeline.list(query.user_id, {
      includeDeleted: query.include_deleted === 'true',
      limit: query.limit ?? 100,
      afterKey: query.cursor ? decodeFileCursor(query.cursor) : undefined,
    });
    return { files: page.files.map(fileView), next_cursor: page.nextAfterKey ? encodeFileCursor(page.nextAfterKey) : null };
  }
}

function encodeFileCursor(fileKey: string): string {
  return Buffer.from(JSON.stringify([fileKey])).toString('base64url');
}

/** The key of a cursor this route returned; anything else is 400 invalid_cursor naming `cursor`. */
function decodeFileCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 1 && typeof parsed[0] === 'string' && parsed[0].length > 0 && parsed[0].length <= 1024) return parsed[0];
  } catch {
    // answered below
  }
  const message = 'cursor is not one this API returned';
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    code: 'invalid_cursor',
    message: `cursor: ${message}`,
    fields: [{ field: 'cursor', message }],
  });
}
