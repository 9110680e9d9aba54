import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LimitQueryDto } from '../../http/limit-query.dto';

/** `GET /api/sync/quarantine`: a page of quarantined objects. */
export class QuarantineQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: 'next_cursor of the previous page (a quarantined key)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
