import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ScrubStatusQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 3650, default: 30, description: 'coverage counts files verified within this many days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number' })
  @Min(1)
  @Max(3650)
  days?: number;
}
