import { Injectable, PipeTransform } from '@nestjs/common';
import { requireUserId } from './user-id';

@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return requireUserId(value);
  }
}
