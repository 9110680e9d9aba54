import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EmbeddingInfo, FileRecord, mapBounded, PointRef, readAll, serialized, sha256Hex, VectorPoint } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';
import { DocumentEmbedder, EmbeddedDocument } from './document-embedder';
import type { ExtractionSource } from './extraction/extraction-runner';
import { fileKeyFor } from './file-key';
import { FileInactiveError, FileNotFoundError } from './ingest.errors';
import type { DeleteResult, DeleteSteps, EmbeddingOutcome, ReembedResult, UploadRequest, UploadResult, UploadSteps } from './pipeline.types';

/** Files read and embedded at once by a bulk re-embed (extraction itself runs two at a time). */
const REEMBED_CONCURRENCY = 4;

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The upload and delete flows across the three stores. Each flow runs its steps in an
 * order that leaves, when a store fails midway, a state the analysis reports
 * (missing_object, missing_vectors, deletion_incomplete), and says which step failed.
 */
@Injectable()
export class FilePipelineService {
  private readonly logger = new Logger(FilePipelineService.name);
  /** Bulk re-embeds record their embeddings one write at a time (reembedFiles). */
  private readonly embeddingWrites = serialized();

  constructor(
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly vectors: VectorStore,
    private readonly embedder: DocumentEmbedder,
    private readonly events: EventPublisher,
  ) {}

  /**
   * text extraction (a worker; a file over a cap is refused with ExtractionLimitError and
   * nothing is stored) → metadata → object → points → embedding summary on the metadata.
   */
  async upload(request: UploadRequest): Promise<UploadResult> {
    const now = new Date();
    const fileId = randomUUID();
    const staged = request.file;
    const sha256 = staged ? staged.sha256 : sha256Hex(request.bytes!);
    const fileSize = staged ? staged.size : request.bytes!.length;
    const source: ExtractionSource = staged ? { path: staged.path } : { bytes: request.bytes! };
    const contentType = request.contentType?.trim() || DEFAULT_CONTENT_TYPE;
    const extracted = await this.embedder.chunk(source, contentType, request.fileName);
    const record: FileRecord = {
      fileId,
      userId: request.userId,
      fileKey: fileKeyFor(request.userId, fileId, request.fileName),
      fileName: request.fileName,
      fileSize,
      contentType,
      sha256,
      isActive: true,
      embedding: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    const steps: UploadSteps = { metadata: 'skipped', object: 'skipped', vectors: 'skipped', embedding: 'skipped' };
    const result: UploadResult = { ok: false, record, steps, embedding: { embedded: false, chunks: 0, model: this.embedder.model } };
    const fail = (step: keyof UploadSteps, error: unknown): UploadResult => {
      steps[step] = 'failed';
      result.error = { step, message: (error as Error).message };
      this.logger.warn({ message: 'upload stopped', step, fileId, userId: record.userId, error: (error as Error).message });
      return result;
    };

    try {
      await this.metadata.upsert(record);
      steps.metadata = 'done';
    } catch (error) {
      return fail('metadata', error);
    }
    try {
      if (staged) await this.objects.putFile(record.fileKey, staged.path, { contentType, sha256, size: staged.size });
      else await this.objects.put(record.fileKey, request.bytes!, { contentType, sha256 });
      steps.object = 'done';
    } catch (error) {
      return fail('object', error);
    }
    this.events.publish(
      'file.uploaded',
      { file_key: record.fileKey, file_name: record.fileName, file_size: record.fileSize },
      { userId: record.userId, fileId },
    );

    let embedded: EmbeddedDocument;
    try {
      embedded = await this.embedder.embedChunks({ fileId, userId: record.userId, fileName: record.fileName, contentType, contentHash: sha256 }, extracted);
      if (embedded.points.length > 0) {
        await this.vectors.upsert(embedded.points);
        steps.vectors = 'done';
      } else {
        steps.vectors = 'not_needed';
      }
      result.embedding = embedded.outcome;
    } catch (error) {
      return fail('vectors', error);
    }
    const embedding: EmbeddingInfo = { chunks: embedded.outcome.chunks, model: embedded.outcome.model, contentHash: sha256 };
    try {
      await this.metadata.update(fileId, { embedding, updatedAt: new Date() });
      record.embedding = embedding;
      steps.embedding = 'done';
    } catch (error) {
      return fail('embedding', error);
    }
    if (embedding.chunks > 0) this.events.publish('embedding.created', { chunks: embedding.chunks, model: embedding.model }, { userId: record.userId, fileId });
    result.ok = true;
    return result;
  }

  /** Marks inactive → removes the object → deletes the points → sets deleted_at. Finishes an incomplete delete too. */
  async delete(fileId: string): Promise<DeleteResult> {
    const record = await this.metadata.getByFileId(fileId);
    if (!record) throw new FileNotFoundError(fileId);
    const now = new Date();
    const steps: DeleteSteps = { metadata: 'skipped', object: 'skipped', vectors: 'skipped', deleted_at: 'skipped' };
    const result: DeleteResult = { ok: false, fileId, fileKey: record.fileKey, steps };
    const run = async (step: keyof DeleteSteps, action: () => Promise<unknown>): Promise<boolean> => {
      try {
        await action();
        steps[step] = 'done';
        return true;
      } catch (error) {
        steps[step] = 'failed';
        result.error = { step, message: (error as Error).message };
        this.logger.warn({ message: 'delete stopped', step, fileId, error: (error as Error).message });
        return false;
      }
    };

    const completed =
      (await run('metadata', () => this.metadata.markInactive(fileId, now))) &&
      (await run('object', () => this.objects.delete(record.fileKey))) &&
      (await run('vectors', () => this.vectors.deleteByFileId(fileId))) &&
      (await run('deleted_at', () => this.metadata.update(fileId, { deletedAt: now, updatedAt: now })));
    if (steps.metadata === 'done') {
      this.events.publish('file.deleted', { file_key: record.fileKey, steps: { ...steps } }, { userId: record.userId, fileId });
    }
    if (steps.vectors === 'done') {
      this.events.publish('embedding.deleted', { points: record.embedding?.chunks ?? 0 }, { userId: record.userId, fileId });
    }
    result.ok = completed;
    return result;
  }

  /**
   * Rebuilds a file's points from its object (the repair of missing or stale vectors):
   * upserts the new points first, then removes every other point of the file, then
   * records the embedding on the metadata. Idempotent: point ids derive from file and chunk.
   */
  async reembed(fileId: string): Promise<ReembedResult> {
    const record = await this.metadata.getByFileId(fileId);
    if (!record) throw new FileNotFoundError(fileId);
    const outcome = (await this.reembedFiles([record])).get(fileId)!;
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  /**
   * reembed() for many files at once (a bulk repair): each object read and embedded
   * (REEMBED_CONCURRENCY at a time), then the stores written with one request per step
   * for all of them — the old points kept, the new ones upserted, every other point of the
   * files quarantined — and each file's embedding recorded. A file that fails maps to its
   * error and is left as it was; the others go on. `points`: the files' points as just
   * read by the caller, saving a read.
   */
  async reembedFiles(records: FileRecord[], points?: Map<string, PointRef[]>): Promise<Map<string, ReembedResult | Error>> {
    const results = new Map<string, ReembedResult | Error>();
    const embedded: { record: FileRecord; points: VectorPoint[]; outcome: EmbeddingOutcome; contentHash: string }[] = [];
    await mapBounded(records, REEMBED_CONCURRENCY, async (record) => {
      try {
        if (!record.isActive) throw new FileInactiveError(record.fileId);
        const bytes = await readAll(await this.objects.getStream(record.fileKey));
        const contentHash = sha256Hex(bytes);
        const document = {
          fileId: record.fileId,
          userId: record.userId,
          fileName: record.fileName,
          contentType: record.contentType,
          source: { bytes },
          contentHash,
        };
        embedded.push({ record, ...(await this.embedder.embed(document)), contentHash });
      } catch (error) {
        results.set(record.fileId, error as Error);
      }
    });
    if (embedded.length === 0) return results;
    const at = new Date();
    // Nothing is lost (safety rule 4): the old points, those the upsert overwrites included,
    // are kept in the point quarantine first, restorable for SYNC_QUARANTINE_DAYS.
    const ids = embedded.map(({ record }) => record.fileId);
    const old = points && ids.every((id) => points.has(id)) ? points : await this.vectors.getPointsOfFiles(ids);
    const oldIds = ids.flatMap((id) => old.get(id) ?? []).map((p) => p.id);
    if (oldIds.length > 0) await this.vectors.keepPoints(oldIds, { reason: 're-embed: the points before it', at });
    // One upsert per file, as a direct write would be: a file whose points are refused fails alone.
    const upserted: typeof embedded = [];
    await mapBounded(embedded, REEMBED_CONCURRENCY, async (file) => {
      try {
        if (file.points.length > 0) await this.vectors.upsert(file.points);
        upserted.push(file);
      } catch (error) {
        results.set(file.record.fileId, error as Error);
      }
    });
    if (upserted.length === 0) return results;
    // Write before delete: every point of the files that is not one just written goes,
    // whatever its id (another writer's random UUIDs or integers) — found by the file id.
    const fileIds = upserted.map(({ record }) => record.fileId);
    const written = new Set(upserted.flatMap((file) => file.points).map((p) => p.id.toLowerCase()));
    const now = await this.vectors.getPointsOfFiles(fileIds);
    const extra = new Map(fileIds.map((id) => [id, (now.get(id) ?? []).filter((p) => !written.has(p.id.toLowerCase())).map((p) => p.id)]));
    const extraIds = [...extra.values()].flat();
    if (extraIds.length > 0) await this.vectors.quarantinePoints(extraIds, { reason: 're-embed: a point the new embedding does not have', at });
    // The batch's embeddings recorded in one bulk write, and one such write at a time across
    // batches under way: on a server that serializes writes (FerretDB v1) writers that overlap
    // wait on each other's locks, three times slower than the same writes in turn.
    const updatedAt = new Date();
    const recorded = upserted.map(({ record, outcome, contentHash }) => ({
      record,
      embedding: { chunks: outcome.chunks, model: outcome.model, contentHash } satisfies EmbeddingInfo,
    }));
    let refused: Map<string, Error>;
    try {
      const written = await this.embeddingWrites(() =>
        this.metadata.updateMany(recorded.map(({ record, embedding }) => ({ fileId: record.fileId, patch: { embedding, updatedAt } }))),
      );
      refused = written.refused;
    } catch (error) {
      // Not known which were written: each file fails, its new points in place, and a repair again re-embeds it.
      for (const { record } of recorded) results.set(record.fileId, error as Error);
      return results;
    }
    for (const { record, embedding } of recorded) {
      // A record the store refused (what the backend wrote there does not fit the patch) fails alone.
      const refusal = refused.get(record.fileId);
      if (refusal) {
        results.set(record.fileId, refusal);
        continue;
      }
      const removed = extra.get(record.fileId)?.length ?? 0;
      const scope = { userId: record.userId, fileId: record.fileId };
      if (embedding.chunks > 0) this.events.publish('embedding.created', { chunks: embedding.chunks, model: embedding.model }, scope);
      if (removed > 0) this.events.publish('embedding.deleted', { points: removed }, scope);
      results.set(record.fileId, { fileId: record.fileId, embedding, removedPoints: removed });
    }
    return results;
  }

  /**
   * One page of a user's files in key order, after `afterKey` (the last key of the previous
   * page): at most `limit`, read as a bounded cursor, never the whole folder.
   */
  async list(
    userId: string,
    options: { includeDeleted?: boolean; limit?: number; afterKey?: string } = {},
  ): Promise<{ files: FileRecord[]; nextAfterKey: string | null }> {
    const limit = options.limit ?? 100;
    const files: FileRecord[] = [];
    let more = false;
    for await (const record of this.metadata.streamFiles({ userId, afterKey: options.afterKey, batchSize: Math.min(limit + 1, 1000) })) {
      if (!(record.isActive || options.includeDeleted)) continue;
      if (files.length === limit) {
        more = true;
        break;
      }
      files.push(record);
    }
    return { files, nextAfterKey: more ? files[files.length - 1].fileKey : null };
  }
}
