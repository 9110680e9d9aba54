import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, ConfigValidationError, loadAppConfig } from '@storesync/config';
import { AppModule } from './app.module';
import { ApiTokenService } from './auth/api-token.service';
import { configureApp } from './bootstrap';
import { createLogger } from './logging';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    // Validated here first so a bad variable ends the start with its name, not a stack trace.
    config = loadAppConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`storesync: cannot start. ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  // A background failure (a client library's retry giving up) is logged, not fatal: the
  // service keeps answering and reports the store as down.
  process.on('unhandledRejection', (reason) => {
    logger.error({ message: 'unhandled rejection', error: reason instanceof Error ? reason.stack : String(reason) });
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { logger, bufferLogs: true, bodyParser: false });
  configureApp(app);
  const host = config.host ?? (config.sync.apiToken ? '0.0.0.0' : '127.0.0.1');
  await app.listen(config.port, host);
  const tokens = app.get(ApiTokenService);
  if (tokens.generated) {
    // Printed once, to the terminal only: SYNC_API_TOKEN was not set.
    process.stdout.write(`\nstoresync admin token (SYNC_API_TOKEN unset, listening on 127.0.0.1 only):\n  ${tokens.token}\n\n`);
  }
  logger.log({
    message: 'storesync listening',
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${config.port}`,
    stores: { mongodb: config.mongodb ? 'mongodb' : 'local', s3: config.s3 ? 's3' : 'local', qdrant: config.qdrant ? 'qdrant' : 'local' },
    dataDir: config.allLocal ? config.dataDir : undefined,
  });
}

void bootstrap();
