import { Module } from '@nestjs/common';
import { IngestModule } from '@storesync/ingest';
import { FilesController } from './files.controller';

/** HTTP surface of the file pipeline: upload (streamed, bounded), delete, list. */
@Module({
  imports: [IngestModule],
  controllers: [FilesController],
})
export class FilesModule {}
