import { InvalidS3EventError, parseS3Events } from './s3-event.parser';

/**
 * What one SQS message body holds: an S3 event notification as S3 sends it to a queue, the same wrapped by SNS
 * (`{"Type":"Notification","Message":"<the S3 event as a string>"}`), or S3's `s3:TestEvent` (no records).
 * Returns the notification object, checked by the webhook's parser so the feed can hand it over as is.
 * Throws InvalidS3EventError naming what is wrong.
 */
export function unwrapSqsBody(body: string | undefined): { notification: object; records: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw new InvalidS3EventError('body', 'not JSON');
  }
  const sns = parsed as { Type?: unknown; Message?: unknown } | null;
  if (sns && typeof sns === 'object' && sns.Type === 'Notification') {
    if (typeof sns.Message !== 'string') throw new InvalidS3EventError('Message', 'an SNS notification must carry the S3 event as a string');
    try {
      parsed = JSON.parse(sns.Message);
    } catch {
      throw new InvalidS3EventError('Message', 'not JSON');
    }
  }
  const records = parseS3Events(parsed).length;
  return { notification: parsed as object, records };
}

export type SqsMessageVerdict =
  /** Handed over (or nothing in it to hand over): delete it. */
  | { action: 'delete'; records: number }
  /** Malformed: it would fail every time, so it is logged and deleted rather than redelivered forever. */
  | { action: 'drop'; reason: string }
  /** The hand-over failed (a store down): leave it; SQS redelivers it after its visibility timeout. */
  | { action: 'keep'; reason: string };

/** Decides one message's fate: only what was handed over (or can never be) is deleted — at-least-once. */
export async function settleSqsMessage(body: string | undefined, handOver: (notification: object) => Promise<unknown>): Promise<SqsMessageVerdict> {
  let unwrapped: { notification: object; records: number };
  try {
    unwrapped = unwrapSqsBody(body);
  } catch (error) {
    if (error instanceof InvalidS3EventError) return { action: 'drop', reason: error.message };
    throw error;
  }
  if (unwrapped.records === 0) return { action: 'delete', records: 0 };
  try {
    await handOver(unwrapped.notification);
    return { action: 'delete', records: unwrapped.records };
  } catch (error) {
    if (error instanceof InvalidS3EventError) return { action: 'drop', reason: error.message };
    return { action: 'keep', reason: error instanceof Error ? error.message : String(error) };
  }
}
