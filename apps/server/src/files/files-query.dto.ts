import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LimitQueryDto } from '../http/limit-query.dto';
import { IsUserId } from '../http/user-id';

/** `GET /api/files`: one user's files, a page at a time. */
export class FilesQueryDto extends LimitQueryDto {
  @ApiProperty({ example: 'user-42' })
  @IsUserId()
  user_id!: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Also list soft-deleted files' })
  @IsOptional()
  @IsIn(['true', 'false'])
  include_deleted?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}
