import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig } from './app-config';
import { AppConfigModule } from './config.module';
import { ConfigValidationError, validateEnvironment } from './environment';

@Injectable()
class Probe {
  constructor(readonly config: AppConfig) {}
}

describe(AppConfigModule.name, () => {
  it('injects the validated, typed config with overrides applied', async () => {
    @Module({ imports: [AppConfigModule.forRoot({ SYNC_BATCH_SIZE: '42', MONGODB_URI: '' })], providers: [Probe] })
    class ProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    const sut = moduleRef.get(Probe).config;
    expect(sut.sync.batchSize).toBe(42);
    expect(sut.sync.graceSeconds).toBe(300);
    expect(sut.mongodb).toBeUndefined();
  });

  it('lets an override blank a variable that process.env sets', async () => {
    const saved = process.env.QDRANT_URL;
    process.env.QDRANT_URL = 'http://127.0.0.1:6333';
    try {
      @Module({ imports: [AppConfigModule.forRoot({ QDRANT_URL: '' })], providers: [Probe] })
      class BlankingModule {}
      const moduleRef = await Test.createTestingModule({ imports: [BlankingModule] }).compile();
      expect(moduleRef.get(Probe).config.qdrant).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.QDRANT_URL;
      else process.env.QDRANT_URL = saved;
    }
  });
});

describe('AppConfigModule and process.env', () => {
  it('leaves process.env as it was: no defaults or overrides written into it', async () => {
    delete process.env.SYNC_TIMEOUT;
    delete process.env.S3_BUCKET;
    @Module({ imports: [AppConfigModule.forRoot({ S3_BUCKET: 'override-bucket' })], providers: [Probe] })
    class QuietModule {}
    const moduleRef = await Test.createTestingModule({ imports: [QuietModule] }).compile();
    expect(moduleRef.get(Probe).config.s3Bucket).toBe('override-bucket');
    expect(process.env.SYNC_TIMEOUT).toBeUndefined();
    expect(process.env.S3_BUCKET).toBeUndefined();
  });
});

describe(validateEnvironment.name, () => {
  it('applies every default of the design card', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      SYNC_CHECK_INTERVAL: 30,
      SYNC_BATCH_SIZE: 100,
      SYNC_TIMEOUT: 300,
      WEBSOCKET_PING_INTERVAL: 30,
      EVENT_QUEUE_SIZE: 1000,
      SYNC_GRACE_SECONDS: 300,
      SYNC_MAX_DELETE_PERCENT: 10,
      SYNC_MAX_DELETE_MIN: 100,
      SYNC_QUARANTINE_DAYS: 7,
      S3_BUCKET: 'files',
      QDRANT_COLLECTION: 'files',
      EMBEDDING_PROVIDER: 'hash',
      SCRUB_INTERVAL_MINUTES: 60,
      SCRUB_TIME_BUDGET_SECONDS: 300,
      SCRUB_BYTES_PER_SECOND: 20 * 1024 * 1024,
      SCRUB_CONCURRENCY: 4,
    });
  });

  it.each([
    ['SYNC_BATCH_SIZE', 'lots'],
    ['SYNC_CHECK_INTERVAL', '0'],
    ['MONGODB_URI', 'http://nope'],
    ['S3_ENDPOINT', 'not a url'],
    ['QDRANT_URL', 'ftp://x'],
    ['S3_BUCKET', 'Bad_Bucket'],
    ['EMBEDDING_PROVIDER', 'magic'],
    ['REDIS_URL', 'localhost:6379'],
    ['SYNC_API_TOKEN', 'short'],
    ['EXTRACT_MAX_CHARS', '10'],
    ['EXTRACT_MAX_CHUNKS', '0'],
    ['EXTRACT_TIMEOUT_MS', 'soon'],
    ['AUTH_FAILURE_LIMIT', '-1'],
    ['AUTH_FAILURE_WINDOW_SECONDS', '0'],
    ['SOCKET_ALLOWED_ORIGINS', 'app.example.com'],
    ['SOCKET_ALLOWED_ORIGINS', 'https://a.example, ftp://b'],
    ['SYNC_API_DOCS', 'maybe'],
    ['SYNC_RUN_RETENTION_DAYS', '0'],
    ['SYNC_PLAN_RETENTION_DAYS', 'forever'],
    ['SYNC_AUDIT_RETENTION_DAYS', '0'],
    ['SCRUB_INTERVAL_MINUTES', '-1'],
    ['SCRUB_TIME_BUDGET_SECONDS', '0'],
    ['SCRUB_BYTES_PER_SECOND', '1.5'],
    ['SCRUB_CONCURRENCY', '65'],
  ])('names the bad variable %s', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(`${name}`));
  });

  it('turns the hardening settings into typed config (docs follow the token unless set)', () => {
    const withToken = new AppConfig(
      validateEnvironment({ SYNC_API_TOKEN: 'x'.repeat(16), SOCKET_ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443/' }),
    );
    expect(withToken.hardening).toMatchObject({ apiDocs: false, socketAllowedOrigins: ['https://a.example', 'https://b.example:8443'], authFailureLimit: 20 });
    expect(new AppConfig(validateEnvironment({})).hardening.apiDocs).toBe(true);
    expect(new AppConfig(validateEnvironment({ SYNC_API_TOKEN: 'x'.repeat(16), SYNC_API_DOCS: 'true' })).hardening.apiDocs).toBe(true);
    expect(new AppConfig(validateEnvironment({ SYNC_API_DOCS: '' })).hardening.apiDocs).toBe(true);
    expect(new AppConfig(validateEnvironment({})).extraction).toEqual({ maxChars: 5_000_000, maxChunks: 10_000, timeoutMs: 30_000 });
  });

  it('hides secret values in its message', () => {
    expect(() => validateEnvironment({ SYNC_API_TOKEN: 'tiny' })).toThrow(/SYNC_API_TOKEN=\(hidden\)/);
  });

  it('configures the SQS feed: off unless a queue URL, region and credentials from S3 unless its own, wait 1–20 s', () => {
    expect(new AppConfig(validateEnvironment({})).changeFeed.sqs).toBeUndefined();
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/files-events';
    const reused = new AppConfig(
      validateEnvironment({
        S3_EVENTS_SQS_QUEUE_URL: queueUrl,
        S3_REGION: 'eu-west-1',
        S3_ACCESS_KEY_ID: 'a',
        S3_SECRET_ACCESS_KEY: 'b',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
      }),
    );
    expect(reused.changeFeed.sqs).toEqual({ queueUrl, region: 'eu-west-1', accessKeyId: 'a', secretAccessKey: 'b', waitSeconds: 20 });
    const own = new AppConfig(
      validateEnvironment({
        S3_EVENTS_SQS_QUEUE_URL: queueUrl,
        S3_EVENTS_SQS_REGION: 'us-west-2',
        S3_EVENTS_SQS_ACCESS_KEY_ID: 'c',
        S3_EVENTS_SQS_SECRET_ACCESS_KEY: 'd',
        S3_ACCESS_KEY_ID: 'a',
        S3_SECRET_ACCESS_KEY: 'b',
        S3_EVENTS_SQS_WAIT_SECONDS: '5',
      }),
    );
    expect(own.changeFeed.sqs).toEqual({ queueUrl, region: 'us-west-2', accessKeyId: 'c', secretAccessKey: 'd', waitSeconds: 5 });
    expect(() => validateEnvironment({ S3_EVENTS_SQS_QUEUE_URL: 'files-events' })).toThrow(/S3_EVENTS_SQS_QUEUE_URL/);
    expect(() => validateEnvironment({ S3_EVENTS_SQS_WAIT_SECONDS: '0' })).toThrow(/S3_EVENTS_SQS_WAIT_SECONDS/);
    expect(() => validateEnvironment({ S3_EVENTS_SQS_WAIT_SECONDS: '21' })).toThrow(/S3_EVENTS_SQS_WAIT_SECONDS/);
    expect(() => validateEnvironment({ S3_EVENTS_SQS_ACCESS_KEY_ID: 'c' })).toThrow(/S3_EVENTS_SQS_SECRET_ACCESS_KEY/);
  });

  it('requires both S3 credentials or neither', () => {
    expect(() => validateEnvironment({ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'a' })).toThrow(/S3_SECRET_ACCESS_KEY/);
  });
});
