import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { FileNotFoundError, FilePipelineService } from '@storesync/ingest';
import type { Response } from 'express';
import { fileView } from './file.view';
import { UploadTooLargeFilter } from './upload-too-large.filter';
import { UserAccess } from '../auth/user-access.decorator';
import { invalidField, requireUserId } from '../http/user-id';

/** The multipart file as multer (memory storage) hands it over. */
interface UploadedPart {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

const FILE_ID_PATTERN = /^[A-Za-z0-9._@:-]{1,200}$/;

@Controller('api/files')
@UseFilters(UploadTooLargeFilter)
export class FilesController {
  constructor(private readonly pipeline: FilePipelineService) {}

  /** 201 when every step is done; 207 with `steps` when a store failed midway. */
  @Post()
  @UseInterceptors(FileInterceptor('file'))
  async upload(@Body() body: Record<string, unknown>, @UploadedFile() file: UploadedPart | undefined, @Res({ passthrough: true }) res: Response) {
    const userId = requireUserId(body?.user_id);
    if (!file) throw invalidField('file', 'file is required (multipart field "file")');
    const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const result = await this.pipeline.upload({ userId, fileName, contentType: file.mimetype, bytes: file.buffer });
    res.status(result.ok ? HttpStatus.CREATED : HttpStatus.MULTI_STATUS);
    return {
      ...fileView(result.record),
      steps: result.steps,
      embedded: result.embedding.embedded,
      chunks: result.embedding.chunks,
      ...(result.embedding.reason ? { not_embedded_reason: result.embedding.reason } : {}),
      ...(result.error ? { failed_step: result.error.step, error: result.error.message } : {}),
    };
  }

  /** 200 when every step is done; 207 with `steps` when a store failed midway (repeat to finish). */
  @Delete(':file_id')
  async remove(@Param('file_id') fileId: string, @Res({ passthrough: true }) res: Response) {
    if (!FILE_ID_PATTERN.test(fileId)) throw invalidField('file_id', 'file_id is not a valid file id');
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
      if (error instanceof FileNotFoundError) throw new NotFoundException(`file ${fileId} not found`);
      throw error;
    }
  }

  @Get()
  @HttpCode(HttpStatus.OK)
  @UserAccess({ user: ['query.user_id'], description: 'with user_id set to its own user' })
  async list(@Query('user_id') userIdParam: unknown, @Query('include_deleted') includeDeleted?: string) {
    const userId = requireUserId(userIdParam);
    const files = await this.pipeline.list(userId, { includeDeleted: includeDeleted === 'true' });
    return { files: files.map(fileView) };
  }
}
