import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class TestNotificationDto {
  @ApiProperty({ description: 'a channel name from NOTIFY_CHANNELS' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  channel!: string;
}
