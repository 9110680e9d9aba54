import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

import { parseAutoRepairTypes, parseNotificationSettings } from './notifications';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value);
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * Every variable the service reads, with its default. Validated once at start;
 * nothing else in the code reads process.env.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  @IsOptional()
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  HOST?: string = undefined;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must start with mongodb:// or mongodb+srv://' })
  MONGODB_URI?: string = undefined;

  @IsString()
  @Matches(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/)
  MONGODB_FILES_COLLECTION = 'files';

  /** JSON object renaming stored fields, e.g. {"file_key":"s3_key"}. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  MONGODB_FIELD_MAP?: string = undefined;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  S3_ENDPOINT?: string = undefined;

  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a valid bucket name (3-63 lowercase letters, digits, dots, hyphens)' })
  S3_BUCKET = 'files';

  @IsString()
  @MinLength(1)
  S3_REGION = 'us-east-1';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string = undefined;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string = undefined;

  @Transform(toBool)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = true;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
  BACKUP_BUCKET?: string = undefined;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  QDRANT_URL?: string = undefined;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  QDRANT_API_KEY?: string = undefined;

  @Matches(/^[A-Za-z0-9_-]{1,255}$/)
  QDRANT_COLLECTION = 'files';

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string = undefined;

  /** Named vector of the collection (a data-model override; see the config file's vectors.vector_name). */
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,255}$/)
  QDRANT_VECTOR_NAME?: string = undefined;

  /** The data-model config file (YAML or JSON); ./storesync.config.yaml is used when present. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  STORESYNC_CONFIG?: string = undefined;

  @IsIn(['hash', 'openai'])
  EMBEDDING_PROVIDER: 'hash' | 'openai' = 'hash';

  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(8192)
  EMBEDDING_DIMENSION = 256;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  EMBEDDING_URL?: string = undefined;

  @IsString()
  EMBEDDING_MODEL = 'hash-v1';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  EMBEDDING_API_KEY?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10080)
  SYNC_CHECK_INTERVAL = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  SYNC_BATCH_SIZE = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  SYNC_TIMEOUT = 300;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(604800)
  SYNC_GRACE_SECONDS = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  SYNC_DEEP_CONCURRENCY = 16;

  /** Minutes between scheduled scrubber runs (object bytes hashed against the metadata's sha256); 0: off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(525600)
  SCRUB_INTERVAL_MINUTES = 60;

  /** A scrubber run stops after this long and the next one continues where it stopped. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  SCRUB_TIME_BUDGET_SECONDS = 300;

  /** Object bytes a scrubber run reads per second at most (all its concurrent reads together); 0: unlimited. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SCRUB_BYTES_PER_SECOND = 20 * 1024 * 1024;

  /** Objects a scrubber run reads at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  SCRUB_CONCURRENCY = 4;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  SYNC_MAX_DELETE_PERCENT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SYNC_MAX_DELETE_MIN = 100;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  SYNC_QUARANTINE_DAYS = 7;

  @Matches(/^[^/].*\/$/, { message: 'SYNC_QUARANTINE_PREFIX must be a relative prefix ending in /' })
  SYNC_QUARANTINE_PREFIX = 'quarantine/';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'SYNC_API_TOKEN must be at least 16 characters' })
  SYNC_API_TOKEN?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  WEBSOCKET_PING_INTERVAL = 30;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(604800)
  SYNC_USER_TOKEN_TTL = 3600;

  /** Comma list of repair actions a user token may ask for (never a destructive one); empty: none. */
  @IsString()
  SYNC_USER_REPAIR_ACTIONS = 'reembed';

  /** Comma-separated browser origins that may call the REST API (an app embedding the Sync Status Panel); unset: same origin only. */
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[^,\s/]+\/?(,\s*https?:\/\/[^,\s/]+\/?)*$/, {
    message: 'SYNC_CORS_ORIGINS must be a comma-separated list of origins like https://app.example.com',
  })
  SYNC_CORS_ORIGINS?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(100000)
  CHUNK_SIZE = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(50000)
  CHUNK_OVERLAP = 200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2048)
  EMBEDDING_BATCH_SIZE = 64;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  EMBEDDING_MAX_RETRIES = 3;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  EMBEDDING_BACKOFF_MS = 250;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  EMBEDDING_TIMEOUT_MS = 30000;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1000000)
  EVENT_QUEUE_SIZE = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  STORE_TIMEOUT_MS = 10000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  STATE_RETRY_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60000)
  STATE_RETRY_BASE_MS = 50;

  @Transform(toBool)
  @IsBoolean()
  SEED_DEMO = false;

  /** How metadata changes are noticed: a change stream, falling back to polling by updated_at (auto). */
  @IsIn(['auto', 'change_stream', 'poll', 'off'])
  CHANGE_FEED_METADATA: 'auto' | 'change_stream' | 'poll' | 'off' = 'auto';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3600000)
  CHANGE_FEED_POLL_INTERVAL_MS = 2000;

  /** Each poll re-reads this much before its high-water mark: late commits, clock skew, hard deletes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  CHANGE_FEED_OVERLAP_SECONDS = 60;

  /** The secret S3 event notifications (MinIO's webhook target) present at POST /api/feeds/s3; unset: that feed is off. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'S3_EVENTS_WEBHOOK_TOKEN must be at least 16 characters' })
  S3_EVENTS_WEBHOOK_TOKEN?: string = undefined;

  /** An SQS queue the bucket's event notifications go to (AWS); storesync long-polls it. Unset: no SQS consumer. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^/]+\/.+/, { message: 'S3_EVENTS_SQS_QUEUE_URL must be a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)' })
  S3_EVENTS_SQS_QUEUE_URL?: string = undefined;

  /** The queue's region; unset: S3_REGION. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  S3_EVENTS_SQS_REGION?: string = undefined;

  /** Credentials for the queue; unset: the S3 ones (S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY), else the default AWS chain. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  S3_EVENTS_SQS_ACCESS_KEY_ID?: string = undefined;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  S3_EVENTS_SQS_SECRET_ACCESS_KEY?: string = undefined;

  /** Long-poll wait of each ReceiveMessage (SQS allows 1–20 s). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  S3_EVENTS_SQS_WAIT_SECONDS = 20;

  /** JSON array of channels: {name, kind: webhook|slack|email, url, secret | smtp_url, from, to}. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  NOTIFY_CHANNELS?: string = undefined;

  /** JSON array of rules: {on: [trigger…], channels: [name…], threshold?, types?}. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  NOTIFY_RULES?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  NOTIFY_DIGEST_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  NOTIFY_MAX_ATTEMPTS = 8;

  /** First retry after this; each next one waits twice as long (capped at an hour). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3600000)
  NOTIFY_BACKOFF_MS = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  NOTIFY_TIMEOUT_MS = 10000;

  /** Issue types repaired on detection, comma-separated (e.g. missing_vectors,stale_vectors); unset: off. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  AUTO_REPAIR_TYPES?: string = undefined;

  /** Of those, the types whose repair may remove something (quarantine, delete points); none unless listed. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  AUTO_REPAIR_DESTRUCTIVE_TYPES?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  AUTO_REPAIR_MAX_PER_MINUTE = 60;

  /** Detected issues are collected this long before one plan repairs them. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  AUTO_REPAIR_BATCH_SECONDS = 5;

  /** A bearer token that may read /metrics only (the admin token may too). */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string = undefined;

  /** /metrics without any token (a scrape network of its own). */
  @Transform(toBool)
  @IsBoolean()
  METRICS_PUBLIC = false;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  // Hostile input: extraction caps, failed-auth rate limit, origins, API docs, retention.
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(1_000_000_000)
  EXTRACT_MAX_CHARS = 5_000_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  EXTRACT_MAX_CHUNKS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  EXTRACT_TIMEOUT_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_FAILURE_LIMIT = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTH_FAILURE_WINDOW_SECONDS = 60;

  /** Comma-separated origins allowed to open a Socket.IO connection; `*` allows any. */
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^,\s/]+\/?(,\s*https?:\/\/[^,\s/]+\/?)*)$/, {
    message: 'SOCKET_ALLOWED_ORIGINS must be * or a comma-separated list of origins like https://app.example.com',
  })
  SOCKET_ALLOWED_ORIGINS?: string = undefined;

  /** Serve /api/docs and /api/docs-json; unset: on only while no SYNC_API_TOKEN is set. */
  @Transform(({ value }) => toBool({ value: blankToUndefined({ value }) }))
  @IsOptional()
  @IsBoolean()
  SYNC_API_DOCS?: boolean = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  SYNC_RUN_RETENTION_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  SYNC_PLAN_RETENTION_DAYS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  SYNC_AUDIT_RETENTION_DAYS = 365;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Validates raw env; the message of the thrown error names each bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const picked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (known.includes(name)) picked[name] = value;
  }
  const env = plainToInstance(EnvironmentVariables, picked, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.map((e) => {
    const shown = typeof e.value === 'string' && /SECRET|TOKEN|KEY/.test(e.property) ? '(hidden)' : JSON.stringify(e.value);
    return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
  });
  if (env.S3_ENDPOINT && !env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  }
  if (!env.S3_EVENTS_SQS_ACCESS_KEY_ID !== !env.S3_EVENTS_SQS_SECRET_ACCESS_KEY) {
    problems.push('S3_EVENTS_SQS_ACCESS_KEY_ID and S3_EVENTS_SQS_SECRET_ACCESS_KEY must be set together');
  }
  if (env.EMBEDDING_PROVIDER === 'openai' && !env.EMBEDDING_URL) {
    problems.push('EMBEDDING_URL is required when EMBEDDING_PROVIDER=openai');
  }
  if (env.CHUNK_OVERLAP >= env.CHUNK_SIZE) {
    problems.push(`CHUNK_OVERLAP=${env.CHUNK_OVERLAP}: must be smaller than CHUNK_SIZE=${env.CHUNK_SIZE}`);
  }
  if (env.MONGODB_FIELD_MAP) {
    try {
      const map: unknown = JSON.parse(env.MONGODB_FIELD_MAP);
      if (typeof map !== 'object' || map === null || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string')) {
        throw new Error('not an object of strings');
      }
    } catch (e) {
      problems.push(`MONGODB_FIELD_MAP: must be a JSON object of field renames (${(e as Error).message})`);
    }
  }
  problems.push(...userRepairActionProblems(env.SYNC_USER_REPAIR_ACTIONS));
  parseAutoRepairTypes(env.AUTO_REPAIR_TYPES, env.AUTO_REPAIR_DESTRUCTIVE_TYPES, problems);
  parseNotificationSettings(
    {
      channels: env.NOTIFY_CHANNELS,
      rules: env.NOTIFY_RULES,
      digestSeconds: env.NOTIFY_DIGEST_SECONDS,
      maxAttempts: env.NOTIFY_MAX_ATTEMPTS,
      backoffMs: env.NOTIFY_BACKOFF_MS,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
    },
    problems,
  );
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return env;
}

/** Repairs a user token may be allowed: those that destroy nothing (README, user-token scope). */
export const USER_REPAIR_ACTIONS = ['reembed', 'fix_size', 'restore_object'] as const;
export type UserRepairAction = (typeof USER_REPAIR_ACTIONS)[number];
const DESTRUCTIVE_ACTIONS = ['delete_vectors', 'quarantine_object', 'finish_deletion'];

/** The list SYNC_USER_REPAIR_ACTIONS names, split and trimmed. */
export function parseUserRepairActions(value: string): string[] {
  return value
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

function userRepairActionProblems(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return parseUserRepairActions(value).flatMap((action) => {
    if ((USER_REPAIR_ACTIONS as readonly string[]).includes(action)) return [];
    if (DESTRUCTIVE_ACTIONS.includes(action)) return [`SYNC_USER_REPAIR_ACTIONS: ${action} is destructive; user tokens never ask for destructive repairs`];
    return [`SYNC_USER_REPAIR_ACTIONS: unknown action ${JSON.stringify(action)} (allowed: ${USER_REPAIR_ACTIONS.join(', ')})`];
  });
}
