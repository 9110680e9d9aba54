import { IsOptionalNotNull } from '../../http/optional';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsUserId } from '../../http/user-id';

export class IssueTokenDto {
  @ApiProperty({ description: 'The user whose events the token may receive', example: 'user-42' })
  @IsUserId()
  user_id!: string;

  @ApiPropertyOptional({ description: 'Lifetime in seconds (default 3600, at most 7 days)' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  ttl_seconds?: number;
}
