import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ISSUE_TYPES, IssueType, SyncStatus } from '@storesync/core';
import { USER_ID_MESSAGE, USER_ID_PATTERN } from '../../http/user-id';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

export class IssuesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: 'open' | 'resolved';

  @ApiPropertyOptional({ enum: ISSUE_TYPES })
  @IsOptional()
  @IsIn(ISSUE_TYPES)
  type?: IssueType;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE })
  user_id?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class UsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['synced', 'out_of_sync', 'missing', 'error', 'unchecked'] })
  @IsOptional()
  @IsIn(['synced', 'out_of_sync', 'missing', 'error', 'unchecked'])
  status?: SyncStatus | 'unchecked';

  @ApiPropertyOptional({ description: 'Substring of the user id' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  q?: string;
}
