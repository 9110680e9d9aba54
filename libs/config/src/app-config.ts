import * as path from 'node:path';
import type { DataModel } from './data-model';
import { loadDataModel } from './data-model.loader';
import { ConfigValidationError, EnvironmentVariables, parseUserRepairActions, UserRepairAction, validateEnvironment } from './environment';
import { AutoRepairSettings, NotificationSettings, parseAutoRepairTypes, parseNotificationSettings } from './notifications';

export interface MongoSettings {
  uri: string;
  filesCollection: string;
}

export interface S3Settings {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  backupBucket?: string;
}

export interface SqsFeedSettings {
  queueUrl: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  waitSeconds: number;
}

export interface QdrantSettings {
  url: string;
  apiKey?: string;
  collection: string;
}

/** The validated configuration, typed and grouped; the only way code reads settings. */
export class AppConfig {
  readonly env: EnvironmentVariables['NODE_ENV'];
  readonly port: number;
  readonly host?: string;
  readonly dataDir: string;
  readonly mongodb?: MongoSettings;
  readonly s3?: S3Settings;
  readonly s3Bucket: string;
  readonly backupBucket?: string;
  readonly qdrant?: QdrantSettings;
  readonly qdrantCollection: string;
  readonly filesCollection: string;
  /** Where each store keeps storesync's fields (config file + env overrides; defaults = storesync's own). */
  readonly dataModel: DataModel;
  readonly redisUrl?: string;
  readonly storeTimeoutMs: number;
  /** Retries of the service's own state writes on transient errors (busy, reset). */
  readonly stateRetry: { attempts: number; baseDelayMs: number };
  readonly embedding: {
    provider: 'hash' | 'openai';
    dimension: number;
    url?: string;
    model: string;
    apiKey?: string;
  };
  readonly sync: {
    checkIntervalMinutes: number;
    batchSize: number;
    timeoutSeconds: number;
    graceSeconds: number;
    deepConcurrency: number;
    maxDeletePercent: number;
    maxDeleteMin: number;
    quarantineDays: number;
    quarantinePrefix: string;
    apiToken?: string;
    /** Repair actions a user token may ask for (validated: never destructive). */
    userRepairActions: UserRepairAction[];
    /** Browser origins allowed to call the REST API cross-origin; empty: same origin only. */
    corsOrigins: string[];
  };
  /** The checksum scrubber (libs/scrubber): how often, how long and how fast it reads object bytes. */
  readonly scrub: { intervalMinutes: number; timeBudgetSeconds: number; bytesPerSecond: number; concurrency: number };
  readonly websocket: { pingIntervalSeconds: number; eventQueueSize: number; userTokenTtlSeconds: number };
  readonly ingest: {
    chunkSize: number;
    chunkOverlap: number;
    embeddingBatchSize: number;
    embeddingMaxRetries: number;
    embeddingBackoffMs: number;
    embeddingTimeoutMs: number;
  };
  readonly maxUploadBytes: number;
  /** Caps of one file's text extraction (a docx bomb, a huge text): 422 naming the limit. */
  readonly extraction: { maxChars: number; maxChunks: number; timeoutMs: number };
  readonly hardening: {
    authFailureLimit: number;
    authFailureWindowSeconds: number;
    /** undefined: same origin (or none, as non-browser clients send) only; ['*']: any. */
    socketAllowedOrigins?: string[];
    apiDocs: boolean;
  };
  readonly retention: { runDays: number; planDays: number; auditDays: number };
  readonly metrics: { token?: string; public: boolean };
  readonly notifications: NotificationSettings;
  /** Off (no types) by default. */
  readonly autoRepair: AutoRepairSettings;
  readonly changeFeed: {
    metadata: 'auto' | 'change_stream' | 'poll' | 'off';
    pollIntervalMs: number;
    overlapSeconds: number;
    s3WebhookToken?: string;
    /** The SQS consumer of the bucket's events (AWS); absent: off. */
    sqs?: SqsFeedSettings;
  };
  readonly seedDemo: boolean;
  readonly log: { level: EnvironmentVariables['LOG_LEVEL']; format: 'json' | 'pretty' };

  constructor(env: EnvironmentVariables, dataModel?: DataModel) {
    this.dataModel = dataModel ?? environmentDataModel(env);
    this.env = env.NODE_ENV;
    this.port = env.PORT;
    this.host = env.HOST;
    this.dataDir = path.resolve(env.DATA_DIR);
    this.filesCollection = this.dataModel.metadata.collection;
    this.s3Bucket = this.dataModel.objects.bucket;
    this.backupBucket = env.BACKUP_BUCKET;
    this.qdrantCollection = this.dataModel.vectors.collection;
    if (env.MONGODB_URI) {
      this.mongodb = { uri: env.MONGODB_URI, filesCollection: this.filesCollection };
    }
    if (env.S3_ENDPOINT) {
      this.s3 = {
        endpoint: env.S3_ENDPOINT,
        bucket: this.s3Bucket,
        region: env.S3_REGION,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.S3_FORCE_PATH_STYLE,
        backupBucket: env.BACKUP_BUCKET,
      };
    }
    if (env.QDRANT_URL) {
      this.qdrant = { url: env.QDRANT_URL, apiKey: env.QDRANT_API_KEY, collection: this.qdrantCollection };
    }
    this.redisUrl = env.REDIS_URL;
    this.storeTimeoutMs = env.STORE_TIMEOUT_MS;
    this.stateRetry = { attempts: env.STATE_RETRY_ATTEMPTS, baseDelayMs: env.STATE_RETRY_BASE_MS };
    this.embedding = {
      provider: env.EMBEDDING_PROVIDER,
      dimension: env.EMBEDDING_DIMENSION,
      url: env.EMBEDDING_URL,
      model: env.EMBEDDING_MODEL,
      apiKey: env.EMBEDDING_API_KEY,
    };
    this.sync = {
      checkIntervalMinutes: env.SYNC_CHECK_INTERVAL,
      batchSize: env.SYNC_BATCH_SIZE,
      timeoutSeconds: env.SYNC_TIMEOUT,
      graceSeconds: env.SYNC_GRACE_SECONDS,
      deepConcurrency: env.SYNC_DEEP_CONCURRENCY,
      maxDeletePercent: env.SYNC_MAX_DELETE_PERCENT,
      maxDeleteMin: env.SYNC_MAX_DELETE_MIN,
      quarantineDays: env.SYNC_QUARANTINE_DAYS,
      quarantinePrefix: env.SYNC_QUARANTINE_PREFIX,
      apiToken: env.SYNC_API_TOKEN,
      userRepairActions: parseUserRepairActions(env.SYNC_USER_REPAIR_ACTIONS) as UserRepairAction[],
      corsOrigins: env.SYNC_CORS_ORIGINS?.split(',').map((o) => o.trim().replace(/\/$/, '')) ?? [],
    };
    this.scrub = {
      intervalMinutes: env.SCRUB_INTERVAL_MINUTES,
      timeBudgetSeconds: env.SCRUB_TIME_BUDGET_SECONDS,
      bytesPerSecond: env.SCRUB_BYTES_PER_SECOND,
      concurrency: env.SCRUB_CONCURRENCY,
    };
    this.websocket = {
      pingIntervalSeconds: env.WEBSOCKET_PING_INTERVAL,
      eventQueueSize: env.EVENT_QUEUE_SIZE,
      userTokenTtlSeconds: env.SYNC_USER_TOKEN_TTL,
    };
    this.ingest = {
      chunkSize: env.CHUNK_SIZE,
      chunkOverlap: env.CHUNK_OVERLAP,
      embeddingBatchSize: env.EMBEDDING_BATCH_SIZE,
      embeddingMaxRetries: env.EMBEDDING_MAX_RETRIES,
      embeddingBackoffMs: env.EMBEDDING_BACKOFF_MS,
      embeddingTimeoutMs: env.EMBEDDING_TIMEOUT_MS,
    };
    this.maxUploadBytes = env.MAX_UPLOAD_BYTES;
    this.extraction = { maxChars: env.EXTRACT_MAX_CHARS, maxChunks: env.EXTRACT_MAX_CHUNKS, timeoutMs: env.EXTRACT_TIMEOUT_MS };
    this.hardening = {
      authFailureLimit: env.AUTH_FAILURE_LIMIT,
      authFailureWindowSeconds: env.AUTH_FAILURE_WINDOW_SECONDS,
      socketAllowedOrigins: env.SOCKET_ALLOWED_ORIGINS?.split(',').map((o) => o.trim().replace(/\/$/, '')),
      apiDocs: env.SYNC_API_DOCS ?? !env.SYNC_API_TOKEN,
    };
    this.retention = { runDays: env.SYNC_RUN_RETENTION_DAYS, planDays: env.SYNC_PLAN_RETENTION_DAYS, auditDays: env.SYNC_AUDIT_RETENTION_DAYS };
    this.metrics = { token: env.METRICS_TOKEN, public: env.METRICS_PUBLIC };
    this.autoRepair = {
      ...parseAutoRepairTypes(env.AUTO_REPAIR_TYPES, env.AUTO_REPAIR_DESTRUCTIVE_TYPES, []),
      maxPerMinute: env.AUTO_REPAIR_MAX_PER_MINUTE,
      batchSeconds: env.AUTO_REPAIR_BATCH_SECONDS,
    };
    // Validated with the rest of the environment: problems were reported there.
    this.notifications = parseNotificationSettings(
      {
        channels: env.NOTIFY_CHANNELS,
        rules: env.NOTIFY_RULES,
        digestSeconds: env.NOTIFY_DIGEST_SECONDS,
        maxAttempts: env.NOTIFY_MAX_ATTEMPTS,
        backoffMs: env.NOTIFY_BACKOFF_MS,
        timeoutMs: env.NOTIFY_TIMEOUT_MS,
      },
      [],
    );
    this.changeFeed = {
      metadata: env.CHANGE_FEED_METADATA,
      pollIntervalMs: env.CHANGE_FEED_POLL_INTERVAL_MS,
      overlapSeconds: env.CHANGE_FEED_OVERLAP_SECONDS,
      s3WebhookToken: env.S3_EVENTS_WEBHOOK_TOKEN,
      sqs: env.S3_EVENTS_SQS_QUEUE_URL
        ? {
            queueUrl: env.S3_EVENTS_SQS_QUEUE_URL,
            region: env.S3_EVENTS_SQS_REGION ?? env.S3_REGION,
            // The queue's own pair, else the bucket's (validated as pairs), else the default chain.
            ...(env.S3_EVENTS_SQS_ACCESS_KEY_ID
              ? { accessKeyId: env.S3_EVENTS_SQS_ACCESS_KEY_ID, secretAccessKey: env.S3_EVENTS_SQS_SECRET_ACCESS_KEY }
              : { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }),
            waitSeconds: env.S3_EVENTS_SQS_WAIT_SECONDS,
          }
        : undefined,
    };
    this.seedDemo = env.SEED_DEMO;
    this.log = { level: env.LOG_LEVEL, format: env.LOG_FORMAT };
  }

  /** True when no real store is configured: the embedded default. */
  get allLocal(): boolean {
    return !this.mongodb && !this.s3 && !this.qdrant;
  }
}

/** The model when no config file was read: the defaults with the variables' overrides. */
function environmentDataModel(env: EnvironmentVariables): DataModel {
  const raw: Record<string, unknown> = {
    MONGODB_FILES_COLLECTION: env.MONGODB_FILES_COLLECTION,
    S3_BUCKET: env.S3_BUCKET,
    QDRANT_COLLECTION: env.QDRANT_COLLECTION,
    QDRANT_VECTOR_NAME: env.QDRANT_VECTOR_NAME,
    MONGODB_FIELD_MAP: env.MONGODB_FIELD_MAP,
  };
  return loadDataModel(
    raw,
    (problems) => {
      throw new ConfigValidationError(problems);
    },
    null,
  );
}

/**
 * Validates the environment and reads the data-model config file it names: the one way
 * a process builds its configuration. Errors name each bad variable or file path.
 */
export function loadAppConfig(raw: Record<string, unknown>, cwd = process.cwd()): AppConfig {
  const env = validateEnvironment(raw);
  const model = loadDataModel(
    raw,
    (problems) => {
      throw new ConfigValidationError(problems);
    },
    cwd,
  );
  return new AppConfig(env, model);
}
