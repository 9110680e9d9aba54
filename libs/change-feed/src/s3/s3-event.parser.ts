/** One object event from an S3 event notification (MinIO webhook body, or an AWS S3 event as SQS/SNS carry it). */
export interface S3ObjectEvent {
  bucket: string;
  key: string;
  /** e.g. `s3:ObjectRemoved:Delete`, `ObjectCreated:Put`. */
  eventName: string;
  eventTime: Date | null;
}

export class InvalidS3EventError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidS3EventError';
  }
}

/** Event keys are URL-encoded with `+` for a space (as S3 and MinIO send them). */
function decodeKey(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new InvalidS3EventError(field, 'not a URL-encoded key');
  }
}

/**
 * The object events of a notification body: `{ Records: [{ eventName, eventTime, s3: { bucket: { name },
 * object: { key } } }] }`. AWS's `s3:TestEvent` (sent when a notification is configured) has no records.
 */
export function parseS3Events(body: unknown): S3ObjectEvent[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InvalidS3EventError('body', 'must be a JSON object');
  const records = (body as { Records?: unknown }).Records;
  if ((body as { Event?: unknown }).Event === 's3:TestEvent' && records === undefined) return [];
  if (!Array.isArray(records)) throw new InvalidS3EventError('Records', 'must be an array of S3 event records');
  return records.map((record: unknown, i) => {
    const field = `Records[${i}]`;
    const r = record as { eventName?: unknown; eventTime?: unknown; s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } } };
    if (!r || typeof r !== 'object') throw new InvalidS3EventError(field, 'must be an object');
    if (typeof r.eventName !== 'string' || r.eventName === '') throw new InvalidS3EventError(`${field}.eventName`, 'must be a non-empty string');
    if (typeof r.s3?.bucket?.name !== 'string') throw new InvalidS3EventError(`${field}.s3.bucket.name`, 'must be a string');
    if (typeof r.s3?.object?.key !== 'string' || r.s3.object.key === '') throw new InvalidS3EventError(`${field}.s3.object.key`, 'must be a non-empty string');
    const time = typeof r.eventTime === 'string' ? new Date(r.eventTime) : null;
    return {
      bucket: r.s3.bucket.name,
      key: decodeKey(r.s3.object.key, `${field}.s3.object.key`),
      eventName: r.eventName,
      eventTime: time && !Number.isNaN(time.getTime()) ? time : null,
    };
  });
}
