import { Injectable } from '@nestjs/common';
import { SyncRulesProvider } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';
import {
  classifyFile,
  classifyUnmappedVectors,
  DeferredDraft,
  FileRecord,
  IssueDraft,
  IssueType,
  ObjectInfo,
  isDeferredDraft,
  mapBounded,
  orphanObjectFinding,
  PointRef,
  SyncRules,
  summarizeFilePoints,
} from '@storesync/core';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { objectSha256 } from '@storesync/storage';

/** What the live stores say about an issue right before a repair acts on it. */
export interface LiveState {
  /** The issue as the stores show it now; null when it no longer holds. */
  holds: IssueDraft | null;
  /** The issue would hold but its file is inside the grace window: not judged yet. */
  deferred?: DeferredDraft;
  record: FileRecord | null;
  object: ObjectInfo | null;
  points: PointRef[];
  /** SHA-256 of the object's bytes, when the check needed it. */
  objectSha256?: string;
}

export interface CheckableIssue {
  type: IssueType;
  user_id?: string;
  file_id: string | null;
  file_key: string | null;
}

const NEEDS_HASH: IssueType[] = ['checksum_mismatch', 'size_mismatch'];
/** HEADs (and hashes) in flight at once in a batch re-check. */
const HEAD_CONCURRENCY = 16;

/**
 * Safety rule 3: re-checks one issue by point lookups in the live stores, with the same
 * pure rules the analysis uses (classifyFile). A store that fails throws (the action
 * fails and is audited); it never reads as "absent".
 */
@Injectable()
export class LiveCheckService {
  private readonly rules: SyncRules;

  constructor(
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly vectors: VectorStore,
    config: AppConfig,
  ) {
    this.rules = SyncRulesProvider.create(config);
  }

  get quarantinePrefix(): string {
    return this.rules.quarantinePrefix;
  }

  async check(issue: CheckableIssue, now = new Date()): Promise<LiveState> {
    if (issue.type === 'orphan_object') return this.orphanObject(issue.file_key ?? '', now);
    if (issue.type === 'orphan_vectors') return this.orphanVectors(issue.file_id ?? '');
    if (issue.type === 'unmapped_vectors') return this.unmappedVectors(issue.user_id ?? '');
    return this.file(issue, now);
  }

  /**
   * check() for many issues of files (not orphans) at once, in the order given: one
   * metadata read and one points read for all, the HEADs a bounded number at a time.
   */
  async checkFiles(issues: CheckableIssue[], now = new Date()): Promise<LiveState[]> {
    const fileIds = [...new Set(issues.map((issue) => issue.file_id).filter((id): id is string => Boolean(id)))];
    const [records, points] = await Promise.all([this.metadata.getByFileIds(fileIds), this.vectors.getPointsOfFiles(fileIds)]);
    const objects = new Map<string, ObjectInfo | null>();
    await mapBounded([...records.values()], HEAD_CONCURRENCY, async (record) => {
      objects.set(record.fileId, await this.objects.head(record.fileKey));
    });
    return mapBounded(issues, HEAD_CONCURRENCY, (issue) => {
      const record = issue.file_id ? (records.get(issue.file_id) ?? null) : null;
      if (!record) return Promise.resolve<LiveState>({ holds: null, record: null, object: null, points: [] });
      return this.classify(issue, record, objects.get(record.fileId) ?? null, points.get(record.fileId) ?? [], now);
    });
  }

  private async file(issue: CheckableIssue, now: Date): Promise<LiveState> {
    const record = issue.file_id ? await this.metadata.getByFileId(issue.file_id) : null;
    if (!record) return { holds: null, record: null, object: null, points: [] };
    const object = await this.objects.head(record.fileKey);
    const points = await this.vectors.getFilePoints(record.fileId);
    return this.classify(issue, record, object, points, now);
  }

  private async classify(issue: CheckableIssue, record: FileRecord, object: ObjectInfo | null, points: PointRef[], now: Date): Promise<LiveState> {
    const hash = object && NEEDS_HASH.includes(issue.type) ? await objectSha256(this.objects, object) : undefined;
    const check = classifyFile({ record, object, vectors: summarizeFilePoints(points), objectSha256: hash, now }, this.rules);
    const holds = check.issues.find((draft) => draft.type === issue.type) ?? null;
    const deferred = check.deferred.find((draft) => draft.type === issue.type);
    return { holds, deferred, record, object, points, objectSha256: hash };
  }

  private async orphanObject(key: string, now: Date): Promise<LiveState> {
    const object = await this.objects.head(key);
    const record = await this.metadata.getByKey(key);
    const finding = object && !record ? orphanObjectFinding(object, now, this.rules) : null;
    if (finding && isDeferredDraft(finding)) return { holds: null, deferred: finding, record, object, points: [] };
    return { holds: finding, record, object, points: [] };
  }

  /** Points of this user still without a file id (the first page says whether any are left). */
  private async unmappedVectors(userId: string): Promise<LiveState> {
    const points: PointRef[] = [];
    for await (const page of this.vectors.scrollUnmappedPoints({ userId })) {
      points.push(...page);
      break;
    }
    const holds =
      points.length > 0
        ? classifyUnmappedVectors(
            userId,
            points.length,
            points.slice(0, 100).map((p) => p.id),
          )
        : null;
    return { holds, record: null, object: null, points };
  }

  private async orphanVectors(fileId: string): Promise<LiveState> {
    const points = await this.vectors.getFilePoints(fileId);
    const record = await this.metadata.getByFileId(fileId);
    const summary = summarizeFilePoints(points);
    const holds: IssueDraft | null =
      summary && !record
        ? { type: 'orphan_vectors', store: 'qdrant', userId: summary.userId, fileId, details: { points: summary.points }, suggestedAction: '' }
        : null;
    return { holds, record, object: null, points };
  }
}
