import { IsOptionalNotNull } from '../../http/optional';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
import { ISSUE_TYPES, IssueType } from '@storesync/core';
import { IsUserId } from '../../http/user-id';

/** Body of `POST /api/sync/fix`: which open issues, and how far to go. */
export class FixRequestDto {
  @ApiPropertyOptional({ description: "Only this user's issues", example: 'user-42' })
  @IsOptionalNotNull()
  @IsUserId()
  user_id?: string;

  @ApiPropertyOptional({ type: [String], description: "Only these users' issues" })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUserId({ each: true })
  user_ids?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Only these issues' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(2000)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  issue_ids?: string[];

  @ApiPropertyOptional({ enum: ISSUE_TYPES, isArray: true, description: 'Only issues of these types' })
  @IsOptionalNotNull()
  @IsArray()
  @IsIn(ISSUE_TYPES, { each: true, message: `each types entry must be one of: ${ISSUE_TYPES.join(', ')}` })
  types?: IssueType[];

  @ApiPropertyOptional({ description: 'Execute this saved plan (from a dry run) instead of planning again' })
  @IsOptionalNotNull()
  @IsUUID('4', { message: 'plan_id must be the plan_id of a dry run' })
  plan_id?: string;

  @ApiPropertyOptional({ default: true, description: 'Only plan: nothing changes' })
  @IsOptionalNotNull()
  @IsBoolean()
  dry_run?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Also run destructive actions (quarantine, delete, finish deletion)' })
  @IsOptionalNotNull()
  @IsBoolean()
  allow_destructive?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Override the circuit breaker (a person who checked the stores)' })
  @IsOptionalNotNull()
  @IsBoolean()
  force?: boolean;

  @ApiPropertyOptional({
    default: true,
    description: 'false: answer 202 { plan_id, repair_id } once execution started; follow GET /api/sync/repairs/:repair_id or repair.progress events',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  wait?: boolean;
}
