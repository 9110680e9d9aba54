import { ConsoleLogger, LogLevel } from '@nestjs/common';
import type { AppConfig } from '@storesync/config';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** One JSON object per line (or readable lines with LOG_FORMAT=pretty), secrets masked. */
export function createLogger(config: Pick<AppConfig, 'log'>): ConsoleLogger {
  const json = config.log.format === 'json';
  return new ConsoleLogger('storesync', {
    json,
    colors: !json && process.stdout.isTTY,
    logLevels: ORDER.slice(0, ORDER.indexOf(config.log.level) + 1),
    flattenParams: json,
    mask: ['token', 'authorization', 'apiKey', 'secretAccessKey', 'password'],
  } as ConstructorParameters<typeof ConsoleLogger>[1]);
}
