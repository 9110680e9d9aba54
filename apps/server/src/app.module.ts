import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@storesync/config';
import { StorageModule } from '@storesync/storage';
import { HealthController } from './health/health.controller';

/** Composition root only: imports the feature modules, owns no logic. */
@Module({})
export class AppModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(overrides), StorageModule],
      controllers: [HealthController],
    };
  }
}
