import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { USER_ID_MESSAGE, USER_ID_PATTERN } from './dto/user-id';

@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!USER_ID_PATTERN.test(value)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: USER_ID_MESSAGE, fields: [{ field: 'user_id', message: USER_ID_MESSAGE }] });
    }
    return value;
  }
}
