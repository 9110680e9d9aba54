import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { EnvironmentVariables, validateEnvironment } from './environment';

/** Reads and validates the environment once; everything else injects AppConfig. */
@Module({})
export class AppConfigModule {
  /** `overrides` win over process.env: tests and tools pass their settings here. */
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          cache: true,
          validate: (raw) => validateEnvironment({ ...raw, ...overrides }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => {
            const env = new EnvironmentVariables();
            for (const key of Object.keys(env)) {
              (env as unknown as Record<string, unknown>)[key] = config.get(key);
            }
            return new AppConfig(env);
          },
        },
      ],
      exports: [AppConfig],
    };
  }
}
