import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig, loadAppConfig } from './app-config';

/** Reads and validates the environment once; everything else injects AppConfig. */
@Module({})
export class AppConfigModule {
  /** `overrides` win over process.env: tests and tools pass their settings here. */
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    // Kept from validation itself: ConfigService.get falls back to process.env for a
    // variable validated to undefined, which would undo an override that blanks it.
    let validated: AppConfig | undefined;
    return {
      module: AppConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          cache: true,
          // Returns nothing to ConfigModule: it would copy every validated default (and
          // each override) into process.env, where the next reader mistakes it for the
          // user's own setting.
          validate: (raw) => {
            validated = loadAppConfig({ ...raw, ...overrides });
            return {};
          },
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          // ConfigService is injected so this runs after ConfigModule validated the env.
          useFactory: (_config: ConfigService) => validated ?? loadAppConfig({ ...process.env, ...overrides }),
        },
      ],
      exports: [AppConfig],
    };
  }
}
