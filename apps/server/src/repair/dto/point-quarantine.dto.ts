import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { LimitQueryDto } from '../../http/limit-query.dto';

/** `GET /api/sync/quarantine/points`: a page of points kept by repairs. */
export class PointQuarantineQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: "only this file's points" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  file_id?: string;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page (a point id)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  cursor?: string;
}

/** `POST /api/sync/quarantine/points/restore`: point ids, or every kept point of one file. */
export class RestorePointsDto {
  @ApiPropertyOptional({ type: [String], description: 'ids of kept points' })
  @ValidateIf((o: RestorePointsDto) => o.file_id === undefined || o.ids !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10000)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  ids?: string[];

  @ApiPropertyOptional({ description: 'restore every kept point of this file' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  file_id?: string;
}
