import { IsOptionalNotNull } from '../../http/optional';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, MaxLength, Min } from 'class-validator';
import { IsUserId } from '../../http/user-id';

export const NOTIFIABLE_EVENT_TYPES = ['file.uploaded', 'file.deleted', 'embedding.created', 'embedding.deleted'] as const;
export type NotifiableEventType = (typeof NOTIFIABLE_EVENT_TYPES)[number];

/** What the multi-agent backend did to a file itself; the service re-checks the file after the grace window. */
export class FileEventDto {
  @ApiProperty({ enum: NOTIFIABLE_EVENT_TYPES })
  @IsIn(NOTIFIABLE_EVENT_TYPES, { message: `type must be one of ${NOTIFIABLE_EVENT_TYPES.join(', ')}` })
  type!: NotifiableEventType;

  @ApiProperty({ example: 'user-42' })
  @IsUserId()
  user_id!: string;

  @ApiProperty({ example: '0b6f…' })
  @Matches(/^[A-Za-z0-9._@:-]{1,200}$/, { message: 'file_id must be 1-200 characters of letters, digits, . _ @ : -' })
  file_id!: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1024)
  file_key?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1024)
  file_name?: string;

  @ApiPropertyOptional({ description: 'embedding.created: number of chunks' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  chunks?: number;

  @ApiPropertyOptional({ description: 'embedding.created: model name' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(200)
  model?: string;
}
