import { AppConfig } from '@storesync/config';
import { DeadlineObjectStore, LocalObjectStore, ObjectStore, S3ObjectStore } from '@storesync/storage';

/** DI token of the read-only BACKUP_BUCKET store; null when no backup bucket is set. */
export const BACKUP_OBJECT_STORE = Symbol('BACKUP_OBJECT_STORE');

/**
 * The backup bucket beside the main one (same endpoint and credentials). Never
 * initialised: a repair must not create a bucket it only reads from.
 */
export async function createBackupObjectStore(config: AppConfig): Promise<ObjectStore | null> {
  const bucket = config.backupBucket;
  if (!bucket) return null;
  // With the same deadlines as the main store: a hung backup server is an unavailable backup.
  if (config.s3) return new DeadlineObjectStore(new S3ObjectStore({ ...config.s3, bucket, timeoutMs: config.storeTimeoutMs }), config.storeTimeoutMs);
  const local = new LocalObjectStore({ dataDir: config.dataDir, bucket, versioning: false });
  await local.init();
  return new DeadlineObjectStore(local, config.storeTimeoutMs);
}
