import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ISSUE_TYPES, IssueType, SyncStatus } from '@storesync/core';
import { LimitQueryDto } from '../../http/limit-query.dto';
import { IsUserId } from '../../http/user-id';

export class PageQueryDto extends LimitQueryDto {
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
  @IsUserId()
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
