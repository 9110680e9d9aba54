import { Injectable } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { ObjectStore } from '@storesync/storage';
import { NotQuarantinedError, QuarantinedObjectNotFoundError, RestoreTargetExistsError } from './repair.errors';

const DAY_MS = 24 * 3600_000;

/** One quarantined object as the API lists it. */
export interface QuarantinedObject {
  key: string;
  original_key: string;
  quarantined_on: string;
  size: number;
  last_modified: string;
  /** The first day the daily purge may delete it. */
  purge_after: string;
}

/** `<prefix><yyyy-mm-dd>/<key>` → its parts; null when the key is not a quarantined one. */
export function parseQuarantineKey(key: string, prefix: string): { day: Date; original: string } | null {
  if (!key.startsWith(prefix)) return null;
  const match = /^(\d{4}-\d{2}-\d{2})\/(.+)$/s.exec(key.slice(prefix.length));
  if (!match) return null;
  const day = new Date(`${match[1]}T00:00:00.000Z`);
  return Number.isNaN(day.getTime()) ? null : { day, original: match[2] };
}

export interface PurgedObject {
  key: string;
  original: string;
  size: number;
  lastModified: string;
}

/** Orphan objects are moved aside, not deleted (safety rule 4); kept for SYNC_QUARANTINE_DAYS. */
@Injectable()
export class QuarantineService {
  private readonly prefix: string;
  private readonly days: number;

  constructor(
    private readonly objects: ObjectStore,
    config: AppConfig,
  ) {
    this.prefix = config.sync.quarantinePrefix;
    this.days = config.sync.quarantineDays;
  }

  keyFor(key: string, now: Date): string {
    return `${this.prefix}${now.toISOString().slice(0, 10)}/${key}`;
  }

  /**
   * Copies the object into quarantine, asks `stillSafe` once more, and only then deletes
   * the original; when it is no longer safe the copy goes and the original stays.
   * `target` is the journalled key of an earlier attempt: a copy already there with the
   * same bytes is not made again (a crash between copy and delete). Returns the
   * quarantine key, or null when the move was called off.
   */
  async move(key: string, now: Date, stillSafe: () => Promise<boolean>, target = this.keyFor(key, now)): Promise<string | null> {
    const [source, copied] = await Promise.all([this.objects.head(key), this.objects.head(target)]);
    const sameBytes = !!source && !!copied && copied.size === source.size && (!source.etag || !copied.etag || source.etag === copied.etag);
    if (!sameBytes) await this.objects.copy(key, target);
    if (!(await stillSafe())) {
      await this.objects.delete(target);
      return null;
    }
    await this.objects.delete(key);
    return target;
  }

  /**
   * Deletes quarantined objects older than the retention: both the day in the key and
   * the copy's own time must be past it, so nothing goes early.
   */
  async purgeExpired(now: Date, onDeleted: (object: PurgedObject) => Promise<void>): Promise<{ deleted: number; kept: number }> {
    const retention = this.days * DAY_MS;
    let deleted = 0;
    let kept = 0;
    for await (const object of this.objects.listObjects({ prefix: this.prefix })) {
      const parsed = parseQuarantineKey(object.key, this.prefix);
      const dayEnd = parsed ? parsed.day.getTime() + DAY_MS : Number.POSITIVE_INFINITY;
      const expired = now.getTime() - dayEnd >= retention && now.getTime() - object.lastModified.getTime() >= retention;
      if (!parsed || !expired) {
        kept += 1;
        continue;
      }
      await this.objects.delete(object.key);
      deleted += 1;
      await onDeleted({ key: object.key, original: parsed.original, size: object.size, lastModified: object.lastModified.toISOString() });
    }
    return { deleted, kept };
  }

  /** Quarantined objects, in key order (the day they were moved first), at most `limit`, after `afterKey`. */
  async list(limit: number, afterKey?: string): Promise<QuarantinedObject[]> {
    const found: QuarantinedObject[] = [];
    for await (const object of this.objects.listObjects({ prefix: this.prefix })) {
      if (afterKey !== undefined && object.key <= afterKey) continue;
      const parsed = parseQuarantineKey(object.key, this.prefix);
      if (!parsed) continue;
      found.push({
        key: object.key,
        original_key: parsed.original,
        quarantined_on: parsed.day.toISOString().slice(0, 10),
        size: object.size,
        last_modified: object.lastModified.toISOString(),
        purge_after: new Date(parsed.day.getTime() + DAY_MS + this.days * DAY_MS).toISOString().slice(0, 10),
      });
      if (found.length >= limit) break;
    }
    return found;
  }

  /** Puts a quarantined object back at its original key; never overwrites. */
  async restore(key: string): Promise<{ original: string; size: number }> {
    const parsed = parseQuarantineKey(key, this.prefix);
    if (!parsed) throw new NotQuarantinedError(key, `not a quarantined key (expected ${this.prefix}<yyyy-mm-dd>/<key>)`);
    const object = await this.objects.head(key);
    if (!object) throw new QuarantinedObjectNotFoundError(key);
    // One conditional write, not check-then-copy: a file written back meanwhile is never overwritten.
    if (!(await this.objects.copyIfAbsent(key, parsed.original))) throw new RestoreTargetExistsError(parsed.original);
    await this.objects.delete(key);
    return { original: parsed.original, size: object.size };
  }
}
