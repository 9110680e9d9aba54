import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '@storesync/config';
import { IngestModule } from '@storesync/ingest';
import { FilesController } from './files.controller';
import { UploadTooLargeFilter } from './upload-too-large.filter';

/** HTTP surface of the file pipeline: upload, delete, list. */
@Module({
  imports: [
    IngestModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.maxUploadBytes, files: 1 } }),
    }),
  ],
  controllers: [FilesController],
  providers: [UploadTooLargeFilter],
})
export class FilesModule {}
