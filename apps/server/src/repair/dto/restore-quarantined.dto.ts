import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class RestoreQuarantinedDto {
  @ApiProperty({ description: 'The quarantined key, `quarantine/<yyyy-mm-dd>/<original key>`' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  key!: string;
}
