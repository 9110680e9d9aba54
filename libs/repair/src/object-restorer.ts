import { Inject, Injectable, Optional } from '@nestjs/common';
import { FileRecord, ObjectInfo, ObjectVersion, readAll, sha256OfStream } from '@storesync/core';
import { ObjectStore } from '@storesync/storage';
import { BACKUP_OBJECT_STORE } from './backup-object.store';
import { objectSha256 } from '@storesync/storage';
import { QuarantineService } from './quarantine.service';

/** S3 version listings carry no hash: each candidate is read and hashed, so bound them. */
const MAX_VERSION_TRIES = 5;

export const NO_BACKUP_REASON =
  'no backup: no earlier S3 version and no copy in BACKUP_BUCKET matches the metadata sha256; re-upload the file, or decide which copy is right';
const NO_HASH_REASON = 'no backup can be proven right: the metadata has no sha256 to compare copies with; re-upload the file, or decide which copy is right';

export type RestoreOutcome =
  | { restored: true; source: 'version'; versionId: string; sha256: string }
  | { restored: true; source: 'backup'; sha256: string; keptPreviousAt: string | null }
  | { restored: false; reason: string };

/**
 * Restores an object from the newest S3 version whose hash matches the metadata, or
 * from BACKUP_BUCKET. Never loses the current bytes: with versioning they stay a
 * version; without, they are copied into quarantine before being overwritten.
 */
@Injectable()
export class ObjectRestorer {
  constructor(
    private readonly objects: ObjectStore,
    private readonly quarantine: QuarantineService,
    @Optional() @Inject(BACKUP_OBJECT_STORE) private readonly backup: ObjectStore | null,
  ) {}

  /** Whether a restore has anything to try (for the plan); null when it has, else the reason. */
  async unavailableReason(record: FileRecord): Promise<string | null> {
    if (!record.sha256) return NO_HASH_REASON;
    if ((await this.versionCandidates(record)).length > 0) return null;
    return (await this.backupCopy(record)) ? null : NO_BACKUP_REASON;
  }

  async restore(record: FileRecord, current: ObjectInfo | null, now: Date): Promise<RestoreOutcome> {
    const expected = record.sha256;
    if (!expected) return { restored: false, reason: NO_HASH_REASON };
    // Verify before writing: a version becomes current only once its bytes hash right.
    for (const version of (await this.versionCandidates(record)).slice(0, MAX_VERSION_TRIES)) {
      const sha256 = version.sha256 ?? (await sha256OfStream(await this.objects.getStream(record.fileKey, version.versionId)));
      if (sha256 !== expected) continue;
      await this.objects.restoreVersion(record.fileKey, version.versionId);
      return { restored: true, source: 'version', versionId: version.versionId, sha256 };
    }
    const copy = await this.backupCopy(record);
    if (!copy) return { restored: false, reason: NO_BACKUP_REASON };
    const bytes = await readAll(await copy.store.getStream(record.fileKey));
    let keptPreviousAt: string | null = null;
    if (current && !(await this.objects.versioningEnabled())) {
      keptPreviousAt = this.quarantine.keyFor(record.fileKey, now);
      await this.objects.copy(record.fileKey, keptPreviousAt);
    }
    // The store verifies the body against sha256, so a copy that changed underway is refused.
    await this.objects.put(record.fileKey, bytes, { sha256: expected, contentType: record.contentType });
    return { restored: true, source: 'backup', sha256: expected, keptPreviousAt };
  }

  /** Earlier versions that may hold the file, newest first; those of the file's size first. */
  private async versionCandidates(record: FileRecord): Promise<ObjectVersion[]> {
    if (!(await this.objects.versioningEnabled())) return [];
    const versions = (await this.objects.listVersions(record.fileKey)).filter(
      (v) => !v.isDeleteMarker && !v.isLatest && (v.sha256 === undefined || v.sha256 === record.sha256),
    );
    return [...versions.filter((v) => v.size === record.fileSize), ...versions.filter((v) => v.size !== record.fileSize)];
  }

  private async backupCopy(record: FileRecord): Promise<{ store: ObjectStore } | null> {
    if (!this.backup) return null;
    const head = await this.backup.head(record.fileKey);
    if (!head) return null;
    return (await objectSha256(this.backup, head)) === record.sha256 ? { store: this.backup } : null;
  }
}
