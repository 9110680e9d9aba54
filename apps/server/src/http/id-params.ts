import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** File ids as the pipeline and the events route take them (UUIDs, ObjectIds, the backend's own). */
export const FILE_ID_PATTERN = /^[A-Za-z0-9._@:-]{1,200}$/;
/** Run ids are UUIDs the service made. */
const RUN_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidParam(name: string, message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', code: 'invalid_param', message, fields: [{ field: name, message }] });
}

/** `:file_id`: 400 naming the parameter (its value is not repeated back). */
@Injectable()
export class FileIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !FILE_ID_PATTERN.test(value)) {
      throw invalidParam('file_id', 'file_id must be 1-200 characters of letters, digits, . _ @ : -');
    }
    return value;
  }
}

/** `:run_id`: a UUID, else 400 naming the parameter. */
@Injectable()
export class RunIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !RUN_ID_PATTERN.test(value)) throw invalidParam('run_id', 'run_id must be a run id (a UUID)');
    return value;
  }
}
