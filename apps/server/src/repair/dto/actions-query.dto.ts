import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsUserId } from '../../http/user-id';
import { LimitQueryDto } from '../../http/limit-query.dto';

export class ActionsQueryDto extends LimitQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  repair_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  plan_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  issue_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  file_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUserId()
  user_id?: string;

  @ApiPropertyOptional({ enum: ['api', 'user', 'schedule', 'event', 'auto'] })
  @IsOptional()
  @IsIn(['api', 'user', 'schedule', 'event', 'auto'])
  actor?: string;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

/** `GET /api/sync/plans/:plan_id/actions`: a page of a saved plan's lines. */
export class PlanLinesQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}
