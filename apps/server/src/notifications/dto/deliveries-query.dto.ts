import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LimitQueryDto } from '../../http/limit-query.dto';

export class DeliveriesQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'dead_letter'] })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'dead_letter'])
  status?: 'pending' | 'delivered' | 'dead_letter';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  channel?: string;
}
