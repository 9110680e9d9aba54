import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { classifyFile, classifyOrphanVectors, DomainError, FileCheck, isStoreUnavailable, ObjectInfo, summarizeFilePoints } from '@storesync/core';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { IssueLifecycleService } from './lifecycle/issue-lifecycle.service';
import { IssueDocument } from './repositories/documents';
import { SyncRulesProvider } from './sync-rules.provider';

export class FileNotKnownError extends DomainError {
  constructor(readonly fileId: string) {
    super('not_found', `file ${fileId} is in no store`);
  }
}

export interface FileCheckResult {
  check: FileCheck | null;
  issues: IssueDocument[];
}

/** Checks one file by point lookups in the three stores (after an event, or on demand). */
@Injectable()
export class FileCheckService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly vectors: VectorStore,
    private readonly issues: IssueLifecycleService,
    private readonly config: AppConfig,
  ) {}

  async checkFile(fileId: string): Promise<FileCheckResult> {
    const now = new Date();
    const record = await this.metadata.getByFileId(fileId);
    const points = await this.lookup(() => this.vectors.getFilePoints(fileId));
    const summary = points === undefined ? undefined : summarizeFilePoints(points);
    const runId = `check:${randomUUID()}`;
    if (!record) {
      if (!summary) throw new FileNotKnownError(fileId);
      const orphan = classifyOrphanVectors(summary);
      return { check: null, issues: await this.save(fileId, { issues: [orphan], deferred: [] }, runId, now) };
    }
    const object = await this.lookup<ObjectInfo | null>(() => this.objects.head(record.fileKey));
    const check = classifyFile({ record, object, vectors: summary, now }, SyncRulesProvider.create(this.config));
    return { check, issues: await this.save(fileId, check, runId, now) };
  }

  /** A lookup that failed because the store is down is unknown (undefined), not absent. */
  private async lookup<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (isStoreUnavailable(error)) return undefined;
      throw error;
    }
  }

  private save(fileId: string, found: Pick<FileCheck, 'issues' | 'deferred' | 'notChecked'>, runId: string, now: Date): Promise<IssueDocument[]> {
    const partial = found.issues.some((d) => d.type === 'store_unavailable');
    // A check that compared no checksum (S3 kept none) cannot say the bytes are right again.
    const unchecked = found.notChecked?.includes('checksum') ? (['checksum_mismatch'] as const) : [];
    return this.issues.recordFileCheck(fileId, found, runId, partial, now, unchecked);
  }
}
