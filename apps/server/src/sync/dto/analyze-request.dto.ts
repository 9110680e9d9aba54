import { IsOptionalNotNull } from '../../http/optional';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsUserId } from '../../http/user-id';

export class AnalyzeRequestDto {
  @ApiPropertyOptional({ description: 'Limit the scan to one user', example: 'user-42' })
  @IsOptionalNotNull()
  @IsUserId()
  user_id?: string;

  @ApiPropertyOptional({ description: 'Hash every object and compare with metadata sha256', default: false })
  @IsOptionalNotNull()
  @IsBoolean()
  deep?: boolean;

  @ApiPropertyOptional({ description: 'false: answer 202 with the run id at once', default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  wait?: boolean;
}
