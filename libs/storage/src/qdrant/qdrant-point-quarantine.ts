import type { QdrantClient } from '@qdrant/js-client-rest';
import type { PointQuarantineNote, QuarantinedPoint } from '../ports/vector.store';
import { qdrantPointId, type QdrantPayloadMapper } from './qdrant-payload.mapper';
import { qdrantStatus } from './qdrant-error.mapper';

type Call = <T>(operation: string, request: (client: QdrantClient) => Promise<T>) => Promise<T>;
type StoredPoint = { id: string | number; payload?: Record<string, unknown> | null; vector?: unknown };

/** The note kept beside a quarantined point's own payload (one top-level key no deployment uses). */
export const QUARANTINE_FIELD = 'storesync_quarantine';
const BATCH = 128;

interface Note {
  at: string;
  at_ms: number;
  reason: string;
}

/**
 * Points kept before a repair deletes them (safety rule 4): copied with their vectors and
 * payload, as the deployment stored them, into the collection `<collection>_quarantine`
 * (same vector configuration, made on first use), the note under `storesync_quarantine`.
 * A collection of its own rather than the S3 quarantine prefix: a restore is one upsert of
 * exactly what was there, searchable again at once, and the purge is one filtered delete.
 */
export class QdrantPointQuarantine {
  private ready?: Promise<void>;

  constructor(
    private readonly collection: string,
    private readonly payload: QdrantPayloadMapper,
    private readonly call: Call,
  ) {}

  get name(): string {
    return `${this.collection}_quarantine`;
  }

  async keep(ids: string[], note: PointQuarantineNote): Promise<number> {
    let kept = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      const points = await this.read(this.collection, ids.slice(i, i + BATCH));
      if (points.length === 0) continue;
      await this.ensureCollection();
      const stamp: Note = { at: note.at.toISOString(), at_ms: note.at.getTime(), reason: note.reason };
      await this.call('keep points', (client) =>
        client.upsert(this.name, {
          wait: true,
          points: points.map((p) => ({ id: p.id, vector: p.vector as number[], payload: { ...(p.payload ?? {}), [QUARANTINE_FIELD]: stamp } })),
        }),
      );
      kept += points.length;
    }
    return kept;
  }

  async list(options: { fileId?: string; limit?: number; afterId?: string }): Promise<QuarantinedPoint[]> {
    if (!(await this.exists())) return [];
    const fileKey = this.payload.path('file_id');
    const filter = options.fileId !== undefined && fileKey !== null ? { must: [{ key: fileKey, match: { value: options.fileId } }] } : undefined;
    const limit = options.limit ?? 100;
    // Scroll is in id order and its offset is inclusive: ask for one more and drop the cursor itself.
    const page = await this.call('scroll kept points', (client) =>
      client.scroll(this.name, { filter, limit: limit + 1, offset: options.afterId, with_payload: true, with_vector: false }),
    );
    return page.points
      .filter((p) => String(p.id) !== options.afterId)
      .slice(0, limit)
      .map((p) => {
        const ref = this.payload.toPointRef(p.id, p.payload);
        const stamp = (p.payload?.[QUARANTINE_FIELD] ?? {}) as Partial<Note>;
        return { id: String(p.id), fileId: ref.fileId, userId: ref.userId, quarantinedAt: new Date(stamp.at ?? 0), reason: stamp.reason ?? '' };
      });
  }

  async restore(ids: string[]): Promise<number> {
    if (!(await this.exists())) return 0;
    let restored = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      const points = await this.read(this.name, ids.slice(i, i + BATCH));
      if (points.length === 0) continue;
      await this.call('restore points', (client) =>
        client.upsert(this.collection, {
          wait: true,
          points: points.map((p) => {
            const { [QUARANTINE_FIELD]: _note, ...payload } = p.payload ?? {};
            return { id: p.id, vector: p.vector as number[], payload };
          }),
        }),
      );
      // Written back before removed from the quarantine: a failure in between leaves a copy, never none.
      await this.call('remove restored points', (client) => client.delete(this.name, { wait: true, points: points.map((p) => p.id) }));
      restored += points.length;
    }
    return restored;
  }

  async purge(keptBefore: Date): Promise<number> {
    if (!(await this.exists())) return 0;
    const filter = { must: [{ key: `${QUARANTINE_FIELD}.at_ms`, range: { lt: keptBefore.getTime() } }] };
    const { count } = await this.call('count expired points', (client) => client.count(this.name, { filter, exact: true }));
    if (count > 0) await this.call('purge expired points', (client) => client.delete(this.name, { wait: true, filter }));
    return count;
  }

  private async read(collection: string, ids: string[]): Promise<StoredPoint[]> {
    const points = await this.call('read points', (client) =>
      client.retrieve(collection, { ids: ids.map(qdrantPointId), with_payload: true, with_vector: true }),
    );
    return points;
  }

  private async exists(): Promise<boolean> {
    const { exists } = await this.call('quarantine exists', (client) => client.collectionExists(this.name));
    return exists;
  }

  /** The quarantine collection, with the same vectors as the collection (named or not), made once. */
  private ensureCollection(): Promise<void> {
    this.ready ??= (async () => {
      if (await this.exists()) return;
      const info = await this.call('read collection', (client) => client.getCollection(this.collection));
      const vectors = info.config.params.vectors;
      try {
        await this.call('create quarantine', (client) => client.createCollection(this.name, { vectors }));
      } catch (error) {
        // Another instance made it meanwhile.
        if (qdrantStatus((error as { cause?: unknown }).cause) !== 409) throw error;
      }
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}
