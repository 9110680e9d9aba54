import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class RevokeTokenDto {
  @ApiProperty({ description: 'A user token from POST /api/sync/tokens' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  token!: string;
}
