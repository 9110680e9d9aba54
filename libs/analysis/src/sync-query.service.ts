import { Injectable } from '@nestjs/common';
import { DomainError, FileRecord, ISSUE_STATUS, ISSUE_TYPES, IssueType, SyncStatus, worstStatus } from '@storesync/core';
import { MetadataStore, StoreHealthService } from '@storesync/storage';
import { decodeCursor, encodeCursor } from './cursor';
import { IssueDocument, RunDocument, RunSummary, UserStatusDocument } from './repositories/documents';
import { IssueLifecycleService } from './lifecycle/issue-lifecycle.service';
import { IssueQuery } from './repositories/issue.repository';
import { RunRepository } from './repositories/run.repository';
import { UserStatusRepository } from './repositories/user-status.repository';

export class UserNotFoundError extends DomainError {
  constructor(readonly userId: string) {
    super('not_found', `user ${userId} has no files`);
  }
}

export interface FileStatusView {
  record: FileRecord;
  status: SyncStatus;
  stores: { mongodb: boolean; s3: boolean; qdrant: boolean };
  issues: IssueDocument[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface UserRow {
  userId: string;
  status: SyncStatus | 'unchecked';
  totalFiles: number;
  activeFiles: number;
  counts: Pick<UserStatusDocument, 'synced' | 'out_of_sync' | 'missing' | 'error'> | null;
  openIssues: number;
  lastCheckedAt: string | null;
}

const ABSENT_IN: Partial<Record<IssueType, 's3' | 'qdrant'>> = { missing_object: 's3', missing_vectors: 'qdrant' };

/** Read side of the analysis: status per user and file, runs, issues, the overview. */
@Injectable()
export class SyncQueryService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly runs: RunRepository,
    private readonly issues: IssueLifecycleService,
    private readonly users: UserStatusRepository,
    private readonly health: StoreHealthService,
  ) {}

  /** One user's files with their status from the open issues (latest results). */
  async userStatus(userId: string, limit: number, cursor?: string) {
    const total = await this.metadata.count({ userId });
    if (total === 0) throw new UserNotFoundError(userId);
    const afterKey = cursor ? decodeCursor(cursor, 'string').value : undefined;
    const records: FileRecord[] = [];
    for await (const record of this.metadata.streamFiles({ userId, afterKey, batchSize: limit + 1 })) {
      records.push(record);
      if (records.length > limit) break;
    }
    const page = records.slice(0, limit);
    const open = await this.issues.openForFiles(page.map((r) => r.fileId));
    const byFile = new Map<string, IssueDocument[]>();
    open.forEach((issue) => byFile.set(issue.file_id!, [...(byFile.get(issue.file_id!) ?? []), issue]));
    const files: FileStatusView[] = page.map((record) => {
      const issues = byFile.get(record.fileId) ?? [];
      const absent = new Set(issues.map((i) => ABSENT_IN[i.type]).filter(Boolean));
      return {
        record,
        status: worstStatus(issues.map((i) => ISSUE_STATUS[i.type])),
        stores: { mongodb: true, s3: !absent.has('s3'), qdrant: !absent.has('qdrant') },
        issues,
      };
    });
    const tally = await this.users.get(userId);
    const last = page[page.length - 1];
    return {
      userId,
      tally,
      totalFiles: total,
      files,
      nextCursor: records.length > limit && last ? encodeCursor(last.fileKey, last.fileId) : null,
    };
  }

  /**
   * Whose file this is: its metadata's user, or, for a file only the vectors still hold, the
   * user of its open issues; null when nothing records it (user-token scoping).
   */
  async fileOwner(fileId: string): Promise<string | null> {
    const record = await this.metadata.getByFileId(fileId);
    if (record) return record.userId;
    const [issue] = await this.issues.openForFiles([fileId]);
    return issue?.user_id ?? null;
  }

  /** Each known issue's user, by issue id (unknown ids are absent). */
  async issueOwners(issueIds: string[]): Promise<Map<string, string>> {
    const found = await this.issues.getMany([...new Set(issueIds)]);
    return new Map([...found].map(([id, issue]) => [id, issue.user_id]));
  }

  /**
   * Users with files, with the tally of the latest run that covered them: read in windows of
   * users after the cursor (counts and tallies of that window only) until a page is full,
   * never every user for every page.
   */
  async listUsers(filter: { status?: SyncStatus | 'unchecked'; q?: string }, limit: number, cursor?: string): Promise<Page<UserRow>> {
    let after = cursor ? decodeCursor(cursor, 'null').id : undefined;
    const q = filter.q?.toLowerCase();
    const rows: Omit<UserRow, 'openIssues'>[] = [];
    const window = Math.max(100, (limit + 1) * 2);
    while (rows.length <= limit) {
      const counts = await this.metadata.countsByUser({ afterUserId: after, limit: window });
      if (counts.length === 0) break;
      const tallyByUser = new Map((await this.users.many(counts.map((c) => c.userId))).map((t) => [t.user_id, t]));
      for (const c of counts) {
        if (q && !c.userId.toLowerCase().includes(q)) continue;
        const tally = tallyByUser.get(c.userId);
        const status = tally?.status ?? 'unchecked';
        if (filter.status && status !== filter.status) continue;
        rows.push({
          userId: c.userId,
          status,
          totalFiles: c.total,
          activeFiles: c.active,
          counts: tally ? { synced: tally.synced, out_of_sync: tally.out_of_sync, missing: tally.missing, error: tally.error } : null,
          lastCheckedAt: tally?.last_checked_at ?? null,
        });
        if (rows.length > limit) break;
      }
      if (counts.length < window) break;
      after = counts[counts.length - 1].userId;
    }
    // Open issues are counted for the page only: one indexed count per row shown.
    const items = await Promise.all(
      rows.slice(0, limit).map(async (row) => ({ ...row, openIssues: await this.issues.count({ status: 'open', userId: row.userId }) })),
    );
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(null, last.userId) : null };
  }

  async listRuns(limit: number, cursor?: string): Promise<Page<RunDocument>> {
    const runs = await this.runs.list(limit + 1, cursor ? decodeCursor(cursor, 'iso-time') : undefined);
    return pageOf(runs, limit, (r) => encodeCursor(r.started_at, r.id));
  }

  getRun(runId: string): Promise<RunDocument | null> {
    return this.runs.get(runId);
  }

  async listIssues(query: IssueQuery, limit: number, cursor?: string): Promise<Page<IssueDocument>> {
    const issues = await this.issues.list(query, limit + 1, cursor ? decodeCursor(cursor, 'iso-time') : undefined);
    return pageOf(issues, limit, (i) => encodeCursor(i.first_detected_at, i.id));
  }

  async overview() {
    const [latestRuns, health, byType] = await Promise.all([
      this.runs.list(30),
      this.health.check(),
      Promise.all(ISSUE_TYPES.map(async (type) => [type, await this.issues.count({ status: 'open', type })] as const)),
    ]);
    const lastRun = latestRuns.find((r) => r.state !== 'running') ?? null;
    const lastGlobal = latestRuns.find((r) => r.state !== 'running' && r.scope.user_id === null) ?? null;
    const issuesByType = Object.fromEntries(byType.filter(([, n]) => n > 0)) as Partial<Record<IssueType, number>>;
    return {
      summary: lastGlobal?.summary ?? (await this.summaryFromUsers()),
      openIssues: byType.reduce((sum, [, n]) => sum + n, 0),
      issuesByType,
      storage: lastGlobal?.stores ?? null,
      health,
      lastRun,
      runs: latestRuns,
      running: latestRuns.filter((r) => r.state === 'running'),
    };
  }

  /** Open issues per type (every type, zeros included): one count each, cheap enough for a metrics scrape. */
  async openIssueCounts(): Promise<Record<IssueType, number>> {
    const counts = await Promise.all(ISSUE_TYPES.map(async (type) => [type, await this.issues.count({ status: 'open', type })] as const));
    return Object.fromEntries(counts) as Record<IssueType, number>;
  }

  /** Users the analyses have seen, by their latest status. */
  async userCounts(): Promise<Record<SyncStatus, number>> {
    const statuses: SyncStatus[] = ['synced', 'out_of_sync', 'missing', 'error'];
    const counts = await Promise.all(statuses.map(async (status) => [status, await this.users.count({ status })] as const));
    return Object.fromEntries(counts) as Record<SyncStatus, number>;
  }

  private async summaryFromUsers(): Promise<RunSummary> {
    const summary: RunSummary = { total_files: 0, synced: 0, out_of_sync: 0, missing: 0, error: 0, issues_by_type: {} };
    for (const t of await this.users.all()) {
      summary.total_files += t.total_files;
      summary.synced += t.synced;
      summary.out_of_sync += t.out_of_sync;
      summary.missing += t.missing;
      summary.error += t.error;
    }
    return summary;
  }
}

function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? cursorOf(items[items.length - 1]) : null };
}
